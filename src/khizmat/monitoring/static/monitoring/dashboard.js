// Khizmat dashboards: Chart.js (vendored) charts and a Leaflet map of the sites coloured by a KPI, from the JSON the
// server put in the page. Without JavaScript the same figures are in the tables below the charts.
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function charts() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = data(canvas.dataset.source);
      if (!source) { return; }
      new Chart(canvas, {
        type: canvas.dataset.chart,
        data: {
          labels: source.labels,
          datasets: [{
            label: canvas.dataset.label,
            data: source.values,
            borderColor: "#1f6f8b",
            backgroundColor: canvas.dataset.chart === "bar" ? "rgba(31, 111, 139, 0.6)" : "rgba(31, 111, 139, 0.15)",
            spanGaps: true,
            tension: 0.2
          }]
        },
        options: {
          animation: false,
          responsive: true,
          plugins: { legend: { display: false } },
          indexAxis: canvas.dataset.chart === "bar" && source.labels.length > 12 ? "y" : "x",
          scales: { y: { beginAtZero: true } }
        }
      });
    });
  }

  // Green for the best third, amber for the middle, red for the worst (by the KPI's "better" direction).
  function colour(value, low, high, better) {
    if (value === null || value === undefined) { return "#9aa5ad"; }
    if (high === low || !better) { return "#1f6f8b"; }
    var share = (value - low) / (high - low);
    if (better === "lower") { share = 1 - share; }
    if (share >= 2 / 3) { return "#2e7d32"; }
    if (share >= 1 / 3) { return "#f0a202"; }
    return "#c62828";
  }

  function kpiMap() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-kpi-map]").forEach(function (el) {
      var points = data(el.dataset.points) || [];
      if (!points.length) { return; }
      var map = L.map(el);
      if (el.dataset.tiles) {
        L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
      }
      var values = points.map(function (p) { return p.value; }).filter(function (v) { return v !== null; });
      var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
      var bounds = [];
      points.forEach(function (p) {
        var marker = L.circleMarker([p.lat, p.lng], {
          radius: p.pilot ? 10 : 7, weight: p.pilot ? 3 : 1, color: "#263238",
          fillColor: colour(p.value, low, high, el.dataset.better), fillOpacity: 0.85
        }).addTo(map);
        marker.bindTooltip(document.createTextNode(p.name + ": " + p.label));
        bounds.push([p.lat, p.lng]);
      });
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 11 });
    });
  }

  function start() { charts(); kpiMap(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
