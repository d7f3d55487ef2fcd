// Route maps for dispatchers: one polyline per vehicle (a plan) or one route with numbered points.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var COLORS = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f"];

  function base(el) {
    var map = L.map(el);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    return map;
  }
  function draw(el, paths) {
    var map = base(el);
    var bounds = [];
    paths.forEach(function (p, i) {
      if (!p.path.length) { return; }
      var color = COLORS[i % COLORS.length];
      L.polyline(p.path, { color: color, weight: 3 }).addTo(map).bindTooltip(p.label || "");
      p.path.forEach(function (ll) { L.circleMarker(ll, { radius: 3, color: color }).addTo(map); bounds.push(ll); });
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20] }); } else { map.setView([41.87, 72.94], 12); }
  }
  function init(root) {
    root.querySelectorAll("[data-route-paths]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      el.dataset.drawn = "1";
      draw(el, JSON.parse(document.getElementById(el.dataset.routePaths).textContent));
    });
    root.querySelectorAll("[data-route-path]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      el.dataset.drawn = "1";
      draw(el, [{ label: "", path: JSON.parse(document.getElementById(el.dataset.routePath).textContent) }]);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (e) { init(e.detail.elt); });
})();
