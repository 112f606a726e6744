// The charts of a page (reports/charts.py, templates/reports/_chart.html): every element with
// data-chart-spec names the JSON script holding its Vega-Lite spec, which vega-embed draws as SVG.
//
// The CSP allows no eval. With `ast: true` Vega keeps each expression as a syntax tree instead of
// compiling it with the Function constructor, and the View evaluates it with vega-interpreter:
// vega-embed 7 passes `expr: vega.expressionInterpreter ?? opts.expr ?? expressionInterpreter`, the
// last being the vega-interpreter its browser bundle carries (the npm package ships no browser
// build of its own to pass here). `defaultStyle: false` keeps vega-embed from adding a <style>
// element, and `tooltip: false` leaves the tooltips to Vega's own, the SVG's title (vega-tooltip
// would add a <style> element too): the CSP refuses both.
//
// A mark whose datum has an href is a link: Vega follows it on click (View.handleHref), to the
// list behind the count, which the table beside the chart links to as well.
(function () {
  "use strict";

  var OPTIONS = {
    ast: true,
    actions: false,
    renderer: "svg",
    defaultStyle: false,
    tooltip: false,
  };

  function draw(container) {
    var source = document.getElementById(container.dataset.chartSpec);
    if (!source || container.dataset.chartDrawn) {
      return;
    }
    container.dataset.chartDrawn = "1";
    var options = Object.assign({ logLevel: window.vega.Error }, OPTIONS);
    window.vegaEmbed(container, JSON.parse(source.textContent), options).catch(function (error) {
      container.textContent = container.dataset.chartError || "";
      window.console.error(error);
    });
  }

  function drawAll(root) {
    root.querySelectorAll("[data-chart-spec]").forEach(draw);
  }

  drawAll(document);
  // A part of the page replaced by htmx (the dashboard's period or organization) brings new charts.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    drawAll(event.target);
  });
})();
