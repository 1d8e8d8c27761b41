/* The series chart: one marker per origin report at the date it speaks for, a bar over
   its interval, conflicts in red, the parts of a whole beside it at its date (diamonds,
   never competing with it), the best estimate per year as a dashed line. The time axis
   spans the page's padded `range` and reads in months and years, so a series whose
   points share one date is not zoomed to milliseconds.
   Data comes from the page's own JSON block (the JSON twin's `chart`); every string in
   it is article-derived, so it is escaped before plotly reads it as hover text.
   A click on a marker opens the document at that figure. */
(function () {
  "use strict";

  var BLUE = "#1f5fa8", RED = "#c0392b", GREY = "#777", OCHRE = "#a0752b";

  function esc(value) {
    return String(value == null ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function symbol(p) {
    if (p.qualifier === "at_least" || p.qualifier === "more_than" || p.qualifier === "vague") return "triangle-up";
    if (p.qualifier === "at_most" || p.qualifier === "less_than") return "triangle-down";
    return "circle";
  }

  function hover(p) {
    var lines = [
      esc(p.part && p.label ? p.label : p.figure) + " " + esc(p.interval),
      "as of " + esc(p.as_of) + (p.part ? ", part of report #" : ", report #") + esc(p.chain),
      esc(p.source || "unattributed") + " in " + esc(p.outlet || p.doc)
    ];
    if (p.echoes) {
      lines.push(esc(p.echoes) + (p.echoes === 1 ? " echo" : " echoes") +
        (p.echo_outlets.length ? ": " + p.echo_outlets.map(esc).join(", ") : ""));
    }
    if (p.conflict) lines.push("⚠ conflicts with another report");
    lines.push("click for the sentence");
    return lines.join("<br>");
  }

  /* No <b> or other styled markup in hover text: plotly renders it with style
     attributes, which the Content-Security-Policy refuses. */
  function trace(points, name, color, shape) {
    return {
      type: "scatter",
      mode: "markers",
      name: name,
      x: points.map(function (p) { return p.x; }),
      y: points.map(function (p) { return p.y; }),
      customdata: points.map(function (p) { return p.href; }),
      text: points.map(hover),
      hovertemplate: "%{text}<extra></extra>",
      marker: {
        color: color,
        size: points.map(function (p) { return (shape ? 9 : 12) + Math.min(p.echoes, 6) * 2; }),
        symbol: shape ? points.map(function () { return shape; }) : points.map(symbol),
        line: { width: 1, color: "#fff" }
      },
      error_y: {
        type: "data",
        symmetric: false,
        array: points.map(function (p) { return p.high == null ? 0 : Math.max(0, p.high - p.y); }),
        arrayminus: points.map(function (p) { return p.low == null ? 0 : Math.max(0, p.y - p.low); }),
        color: color,
        thickness: 1.5,
        width: 5
      }
    };
  }

  function draw() {
    var box = document.getElementById("chart");
    var source = document.getElementById("chart-data");
    if (!box || !source || !window.Plotly) return;
    var chart = JSON.parse(source.textContent);
    var plain = chart.points.filter(function (p) { return !p.conflict && !p.part; });
    var conflicting = chart.points.filter(function (p) { return p.conflict && !p.part; });
    var parts = chart.points.filter(function (p) { return p.part; });
    var traces = [];
    if (chart.best.length) {
      traces.push({
        type: "scatter",
        mode: "lines",
        name: "best estimate",
        x: chart.best.map(function (b) { return b.x; }),
        y: chart.best.map(function (b) { return b.y; }),
        text: chart.best.map(function (b) { return "best estimate " + esc(b.year) + ": " + esc(b.figure); }),
        hovertemplate: "%{text}<extra></extra>",
        line: { color: GREY, dash: "dash", width: 1.5 }
      });
    }
    if (plain.length) traces.push(trace(plain, "origin report", BLUE));
    if (conflicting.length) traces.push(trace(conflicting, "in conflict", RED));
    if (parts.length) traces.push(trace(parts, "part of a whole", OCHRE, "diamond"));
    var layout = {
      margin: { l: 60, r: 20, t: 10, b: 40 },
      height: 380,
      hovermode: "closest",
      showlegend: true,
      legend: { orientation: "h", y: -0.15 },
      xaxis: { type: "date", title: { text: "as of" }, range: chart.range || undefined, tickformat: "%b %Y" },
      yaxis: { title: { text: "people" }, rangemode: "tozero" },
      paper_bgcolor: "#fff",
      plot_bgcolor: "#fafafa"
    };
    window.Plotly.newPlot(box, traces, layout, { displayModeBar: false, responsive: true }).then(function () {
      box.setAttribute("data-drawn", String(chart.points.length));
    });
    box.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var href = point && point.customdata;
      if (typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/") {
        window.location.assign(href);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
