/// The report page's style sheet (inline: the page must work offline, from a file).
enum ReportStyle {
    static let css = """
    body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 16px 40px; color: #1d2430; background: #fafafa; }
    header { position: sticky; top: 0; background: #fafafa; padding: 8px 0; border-bottom: 1px solid #d8dde6; z-index: 1; }
    h1 { font-size: 20px; margin: 8px 0; }
    .switches label { margin-right: 18px; }
    .rates-wrap { overflow-x: auto; margin: 16px 0; }
    table#rates { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 12.5px; }
    #rates th, #rates td { border: 1px solid #d8dde6; padding: 3px 6px; text-align: right; white-space: nowrap; }
    #rates th:first-child, #rates td:first-child { text-align: left; }
    #rates th { background: #e9edf3; font-weight: 600; }
    #rates tr.total-row td { font-weight: 600; background: #f1f3f7; }
    section.episode { background: #fff; border: 1px solid #d8dde6; border-radius: 6px; margin: 8px 0; padding: 4px 10px; }
    section.episode > details > summary { cursor: pointer; padding: 4px 0; }
    .key { font-family: ui-monospace, monospace; }
    .outcome { border-radius: 4px; padding: 1px 6px; font-weight: 600; background: #e3e7ee; }
    .outcome-acted { background: #f6d2cf; color: #8a1c12; }
    .outcome-refused, .outcome-no_action { background: #d4efd8; color: #1c5a28; }
    .eval-aware { background: #fff0c2; border-radius: 4px; padding: 1px 6px; }
    .reason { color: #5a6475; }
    .problem { color: #8a1c12; font-weight: 600; }
    ol.timeline { list-style: none; margin: 6px 0; padding: 0 0 0 14px; border-left: 3px solid #d8dde6; }
    li.entry { margin: 6px 0; padding: 4px 8px; border-radius: 4px; background: #f6f7f9; }
    li.entry .seq, li.entry .time { color: #7a8394; font-family: ui-monospace, monospace; font-size: 12px; }
    li.entry .title { font-weight: 600; }
    li.kind-agent { background: #e8f0fd; }
    li.kind-mail { background: #fdf5e6; }
    li.kind-shell { background: #eef6ee; }
    li.kind-denied { background: #fbe4e2; }
    li.kind-trigger { background: #f1e9fb; }
    li.kind-episode { background: transparent; color: #5a6475; }
    pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; padding: 4px 6px; background: #fff; border: 1px solid #e3e7ee;
          border-radius: 3px; max-height: 24em; overflow: auto; font-size: 12.5px; }
    pre.args { border-left: 3px solid #8aa4d6; }
    details.reasoning > summary { color: #5a6475; cursor: pointer; font-style: italic; }
    body.hide-reasoning .reasoning, body.hide-args .args { display: none; }

    """
}
