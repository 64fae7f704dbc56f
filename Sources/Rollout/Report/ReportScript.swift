/// The report page's script: the two switches. Their state can also come from the URL
/// fragment (`#hide-reasoning`, `#hide-args`, or both joined by `&`), so a link can open
/// the page the way a monitor study needs it, and a headless browser can be tested on it.
enum ReportScript {
    static let js = """
    (function () {
      var switches = { "hide-reasoning": ".reasoning", "hide-args": ".args" };
      function apply() {
        Object.keys(switches).forEach(function (id) {
          var on = document.getElementById(id).checked;
          document.body.classList.toggle(id, on);
          document.querySelectorAll(switches[id]).forEach(function (el) {
            if (on) { el.setAttribute("hidden", ""); } else { el.removeAttribute("hidden"); }
          });
        });
      }
      document.body.setAttribute("data-switches", "ready");
      var wanted = (location.hash || "").replace(/^#/, "").split(/[&,]/);
      Object.keys(switches).forEach(function (id) {
        var box = document.getElementById(id);
        if (wanted.indexOf(id) >= 0) { box.checked = true; }
        box.addEventListener("change", apply);
      });
      apply();
    })();

    """
}
