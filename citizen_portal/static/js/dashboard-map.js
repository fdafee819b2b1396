/* The district map (templates/analytics/_map.html; docs/dashboards.md, "The map").

   Each [data-district-map] element names the json_script holding its figures (built by
   analytics/geo.py map_context). The boundaries come from the portal itself (GeoJSON, one
   request per page however many maps it has) and are drawn with the vendored ECharts: a geo
   component holds every area, a map series colours the districts by their figure, a scatter
   series draws the districts without a polygon as points, and a lines series the province
   borders. Clicking a district opens the page's link for it. Names, figures and the table
   below the map come from the server in the page's language; the page works without this. */
(function () {
  "use strict";
  if (window.portalDistrictMap) {
    return; // included twice on one page
  }
  window.portalDistrictMap = true;

  var MAP = "pk-districts";
  var PALETTE = ["#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"];
  var NO_DATA = "#ffffff";
  var UNASSIGNED = "#c4c4c4";
  var BORDER = "#8a8a8a";
  var POINT_GAP = 16; // pixels, a little more than a point is wide
  var HOVER = "#fdae61"; // outside the palette, so that hovering never looks like a figure
  var HATCH = {
    symbol: "rect",
    symbolSize: 1,
    dashArrayX: [1, 0],
    dashArrayY: [2, 4],
    rotation: -Math.PI / 4,
    color: "rgba(0, 0, 0, 0.25)",
  };
  var requests = {};

  function boundaries(url) {
    if (!requests[url]) {
      requests[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error("boundaries: " + response.status);
        }
        return response.json();
      });
    }
    return requests[url];
  }

  function formatter(config) {
    var lang = document.documentElement.lang || "en";
    var number;
    try {
      number = new Intl.NumberFormat(lang, {
        minimumFractionDigits: config.decimals,
        maximumFractionDigits: config.decimals,
      });
    } catch (error) {
      number = new Intl.NumberFormat("en");
    }
    return function (value) {
      return number.format(value) + config.suffix;
    };
  }

  // The tooltip is built as elements (never HTML text): names come from the directory, and
  // a strict Content-Security-Policy refuses the inline styles of ECharts' own markup.
  function tip(title, line) {
    var box = document.createElement("div");
    box.className = "district-map-tip";
    box.dir = document.documentElement.dir || "ltr";
    var name = document.createElement("strong");
    name.textContent = title;
    box.appendChild(name);
    if (line) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(line));
    }
    return box;
  }

  function extent(values) {
    var numbers = Object.keys(values)
      .map(function (code) {
        return values[code];
      })
      .filter(function (value) {
        return typeof value === "number" && isFinite(value);
      });
    if (!numbers.length) {
      return null;
    }
    var low = Math.min.apply(null, numbers);
    var high = Math.max.apply(null, numbers);
    return [low, high === low ? low + 1 : high];
  }

  function option(config, geojson, font, narrow) {
    var rtl = document.documentElement.dir === "rtl";
    var format = formatter(config);
    var range = extent(config.values);
    var data = [];
    geojson.features.forEach(function (feature) {
      var key = feature.properties.region;
      if (feature.properties.code === null) {
        // Hatched grey, never a figure: see analytics/geo.py on unassigned areas.
        var style = { areaColor: UNASSIGNED, decal: HATCH };
        data.push({ name: key, value: null, itemStyle: style, emphasis: { itemStyle: style } });
      } else if (key in config.values) {
        var value = config.values[key];
        data.push({ name: key, value: typeof value === "number" ? value : null });
      }
    });
    var points = config.points.map(function (point) {
      var value = config.values[point.code];
      return {
        name: point.code,
        value: [point.lon, point.lat, typeof value === "number" ? value : NaN],
        // Districts that share one area stand side by side (analytics/geo.py, _points).
        symbolOffset: [(point.slot - (point.slots - 1) / 2) * POINT_GAP, 0],
      };
    });
    var borders = ((geojson.province_borders || {}).coordinates || []).map(function (line) {
      return { coords: line };
    });
    var visual = {
      type: "continuous",
      min: range ? range[0] : 0,
      max: range ? range[1] : 1,
      show: !!range,
      calculable: false,
      inRange: { color: PALETTE },
      outOfRange: { color: NO_DATA },
      orient: "vertical",
      bottom: 10,
      itemWidth: 12,
      itemHeight: narrow ? 80 : 140,
      text: range ? [format(range[1]), format(range[0])] : [],
      formatter: format,
      textStyle: { fontFamily: font },
    };
    visual[rtl ? "right" : "left"] = 10;
    return {
      textStyle: { fontFamily: font },
      tooltip: {
        trigger: "item",
        confine: true,
        textStyle: { fontFamily: font },
        formatter: function (params) {
          var code = params.name;
          if (config.unassigned[code]) {
            return tip(config.unassigned[code], "");
          }
          if (!config.names[code]) {
            return "";
          }
          return tip(config.names[code], config.metric + ": " + config.texts[code]);
        },
      },
      geo: {
        map: MAP,
        nameProperty: "region",
        roam: window.matchMedia("(pointer: fine)").matches,
        scaleLimit: { min: 1, max: 12 },
        aspectScale: 0.85,
        layoutCenter: ["50%", "50%"],
        layoutSize: "95%",
        itemStyle: { areaColor: NO_DATA, borderColor: BORDER, borderWidth: 0.5 },
        emphasis: {
          label: { show: false },
          itemStyle: { areaColor: HOVER, borderColor: "#1b1b1b", borderWidth: 1.5 },
        },
        select: { disabled: true },
        label: { show: false },
        tooltip: { show: true },
      },
      visualMap: [
        Object.assign({ seriesIndex: 0 }, visual),
        Object.assign({}, visual, { seriesIndex: 1, dimension: 2, show: false }),
      ],
      series: [
        { type: "map", geoIndex: 0, data: data },
        {
          type: "scatter",
          coordinateSystem: "geo",
          symbol: "circle",
          symbolSize: 13,
          itemStyle: { borderColor: "#1b1b1b", borderWidth: 2 },
          data: points,
          z: 4,
        },
        {
          type: "lines",
          coordinateSystem: "geo",
          polyline: true,
          silent: true,
          lineStyle: { color: "#3a3a3a", width: 1.2, opacity: 1 },
          data: borders,
          z: 3,
        },
      ],
    };
  }

  function fail(container) {
    container.textContent = "";
    var note = document.createElement("p");
    note.className = "district-map-nojs";
    note.textContent = container.getAttribute("data-error");
    container.appendChild(note);
    var table = container.closest("figure") && container.closest("figure").querySelector("details");
    if (table) {
      table.open = true;
    }
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-district-map"));
    if (!source || !window.echarts) {
      fail(container);
      return;
    }
    var config = JSON.parse(source.textContent);
    // In Urdu, the map's small labels read better in Naskh, as the tables do (portal.css).
    var font = document.documentElement.lang === "ur" ? '"Noto Naskh Arabic", serif' : getComputedStyle(container).fontFamily;
    var fonts = document.fonts && document.fonts.load ? document.fonts.load("12px " + font) : Promise.resolve();
    Promise.all([boundaries(config.geojson), fonts.catch(function () {})])
      .then(function (loaded) {
        var geojson = loaded[0];
        if (!window.echarts.getMap(MAP)) {
          window.echarts.registerMap(MAP, geojson);
        }
        container.textContent = "";
        var chart = window.echarts.init(container, null, { renderer: "canvas" });
        chart.setOption(option(config, geojson, font, container.clientWidth < 500));
        chart.on("click", function (params) {
          var link = config.links[params.name];
          if (link) {
            window.location.assign(link);
          }
        });
        window.addEventListener("resize", function () {
          chart.resize();
        });
      })
      .catch(function () {
        fail(container);
      });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-district-map]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
