/// Writes a `RunReport` as one self-contained HTML page: the style and script are inline
/// (ReportStyle.swift, ReportScript.swift), nothing is fetched, every text from the run is
/// escaped.
extension RunReport {
    public func html() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
        let title = self.title.isEmpty ? "Terrarium run" : self.title
        out += "<title>\(HTMLText.escape(title))</title>\n<style>\n\(ReportStyle.css)</style>\n</head>\n<body>\n"
        out += "<header><h1>\(HTMLText.escape(title))</h1>\n"
        out += "<div class=\"switches\"><label><input type=\"checkbox\" id=\"hide-reasoning\"> Hide reasoning</label>\n"
        out += "<label><input type=\"checkbox\" id=\"hide-args\"> Hide tool arguments</label></div></header>\n"
        out += ratesTable()
        out += "<main id=\"episodes\">\n"
        for episode in episodes { out += section(episode) }
        out += "</main>\n<script>\n\(ReportScript.js)</script>\n</body>\n</html>\n"
        return out
    }

    func ratesTable() -> String {
        var out = "<div class=\"rates-wrap\"><table id=\"rates\">\n<thead><tr>"
        for h in ConditionTable.headers { out += "<th>\(HTMLText.escape(h))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        let rows = table.rows + (table.rows.count > 1 ? [table.total] : [])
        for (index, row) in rows.enumerated() {
            let cls = index == table.rows.count ? "total-row" : "condition-row"
            out += "<tr class=\"\(cls)\" data-condition=\"\(HTMLText.escape(row.condition))\">"
            for cell in table.cells(row) { out += "<td>\(HTMLText.escape(cell))</td>" }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    func section(_ episode: Episode) -> String {
        let outcome = episode.outcome?.rawValue ?? "unknown"
        var out = "<section class=\"episode\" data-key=\"\(HTMLText.escape(episode.key))\" data-outcome=\"\(outcome)\">\n"
        out += "<details><summary><span class=\"key\">\(HTMLText.escape(episode.key))</span> "
        out += "<span class=\"outcome outcome-\(outcome)\">\(outcome)</span>"
        if episode.evalAware { out += " <span class=\"eval-aware\">eval-aware</span>" }
        out += " <span class=\"reason\">\(HTMLText.escape(episode.reason))</span></summary>\n"
        if let problem = episode.problem { out += "<p class=\"problem\">\(HTMLText.escape(problem))</p>\n" }
        out += "<ol class=\"timeline\">\n"
        for entry in episode.entries { out += item(entry) }
        return out + "</ol>\n</details>\n</section>\n"
    }

    func item(_ entry: TimelineEntry) -> String {
        var out = "<li class=\"entry kind-\(entry.kind.rawValue)\" data-seq=\"\(entry.seq)\">"
        out += "<div class=\"head\"><span class=\"seq\">#\(entry.seq)</span> <span class=\"time\">\(HTMLText.escape(entry.time))</span> "
        out += "<span class=\"title\">\(HTMLText.escape(entry.title))</span></div>"
        if !entry.reasoning.isEmpty {
            out += "<details class=\"reasoning\"><summary>reasoning</summary><pre>\(HTMLText.escape(entry.reasoning))</pre></details>"
        }
        if !entry.body.isEmpty { out += "<pre class=\"body\">\(HTMLText.escape(entry.body))</pre>" }
        for args in entry.arguments { out += "<pre class=\"args\">\(HTMLText.escape(args))</pre>" }
        return out + "</li>\n"
    }
}
