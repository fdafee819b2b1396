/* The dashboards' charts (templates/analytics/dashboard.html): each element with
   data-chart="<id>" is drawn from the JSON in the script element of that id. Every chart has
   a table with the same figures on the page, for screen readers and without JavaScript. */
(function () {
  "use strict";

  function option(config, rtl) {
    if (config.kind === "trend") {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 24, top: 36, bottom: 32, containLabel: true },
        xAxis: { type: "category", data: config.labels, inverse: rtl },
        yAxis: { type: "value", minInterval: 1, position: rtl ? "right" : "left" },
        series: config.series.map(function (s) {
          return { name: s.name, type: s.type, data: s.data, smooth: s.type === "line" };
        })
      };
    }
    if (config.kind === "bars") {
      return {
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1, inverse: rtl },
        yAxis: { type: "category", data: config.labels.slice().reverse(), position: rtl ? "right" : "left" },
        series: [{ name: config.name, type: "bar", data: config.values.slice().reverse() }]
      };
    }
    return {
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{
        name: config.name, type: "pie", radius: ["35%", "65%"],
        data: config.labels.map(function (label, i) { return { name: label, value: config.values[i] }; })
      }]
    };
  }

  function draw() {
    if (typeof window.echarts === "undefined") { return; }
    var rtl = document.documentElement.dir === "rtl";
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source) { return; }
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(option(JSON.parse(source.textContent), rtl));
      element.setAttribute("data-drawn", "true");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
