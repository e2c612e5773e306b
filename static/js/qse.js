/* Pilote QSE page behaviours, kept out of the HTML so that the Content-Security-Policy
   can forbid inline scripts and event handlers (script-src 'self'). */
(function () {
  "use strict";

  // <select data-autosubmit>: choosing a value sends its form (organization switcher, board filter).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) target.form.submit();
  });

  // <a data-history-back href="/">: back to the previous page; the href is the no-script fallback.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-history-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  // <form data-confirm="question">: sent only once the person confirms.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("[data-confirm]") && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // <button data-print>: the browser's print dialog (the QR poster).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // Plotly figures written by qse/charts.py: a div and its JSON (see figure_html).
  function drawCharts(root) {
    if (!window.Plotly) return;
    root.querySelectorAll("script[data-plotly-figure]").forEach(function (block) {
      var div = document.getElementById(block.dataset.plotlyFigure);
      if (!div || div.dataset.drawn) return;
      div.dataset.drawn = "1";
      var figure = JSON.parse(block.textContent);
      window.Plotly.newPlot(div, figure.data, figure.layout, figure.config).then(function () {
        if (div.hasAttribute("data-link-points")) {
          div.on("plotly_click", function (click) {
            var url = click.points[0] && click.points[0].customdata;
            if (url && String(url).charAt(0) === "/") window.location = url;
          });
        }
      });
    });
  }

  // <input data-search-for="id" data-search-url="/org/choices/..."> beside a <select> that holds
  // only its chosen values (qse/widgets.py): what is typed fetches the matching records.
  var searchTimers = {};
  function fillChoices(select, results) {
    Array.prototype.slice.call(select.options).forEach(function (option) {
      if (option.value !== "" && !option.selected) option.remove();
    });
    var present = {};
    Array.prototype.forEach.call(select.options, function (option) { present[option.value] = true; });
    results.forEach(function (result) {
      if (present[String(result.id)]) return;
      select.add(new Option(result.label, result.id));
    });
    select.classList.toggle("search-empty", results.length === 0);
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-search-for]")) return;
    var select = document.getElementById(input.dataset.searchFor);
    if (!select) return;
    window.clearTimeout(searchTimers[input.dataset.searchFor]);
    searchTimers[input.dataset.searchFor] = window.setTimeout(function () {
      var url = input.dataset.searchUrl + "?q=" + encodeURIComponent(input.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { fillChoices(select, data.results || []); });
    }, 250);
  });
  // The search box is not a filter: its change must not send the filter form.
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-search-for]")) event.stopPropagation();
  }, true);

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
})();
