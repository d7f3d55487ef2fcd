// Khizmat maps (Leaflet, vendored). Pages work without this script and without tiles: address text stays usable.
(function (script) {
  "use strict";
  if (typeof L === "undefined") { return; }

  // collectstatic gives the marker images hashed names, so Leaflet's own guess of their path (from its stylesheet)
  // fails with DEBUG off: every marker uses this icon, whose URLs the template took from {% static %}.
  var icons = script ? script.dataset : {};
  // A plain L.Icon with the default icon's sizes: L.Icon.Default would prefix its guessed image path.
  var markerIcon = new L.Icon(L.extend({}, L.Icon.Default.prototype.options, {
    iconUrl: icons.markerIcon,
    iconRetinaUrl: icons.markerIcon2x,
    shadowUrl: icons.markerShadow
  }));

  function baseMap(el) {
    var center = (el.dataset.center || "41.3,69.3").split(",").map(Number);
    var map = L.map(el).setView(center, Number(el.dataset.zoom || 13));
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    return map;
  }

  function pointsMap(el) {
    var data = document.getElementById(el.dataset.points);
    var points = data ? JSON.parse(data.textContent) : [];
    var map = baseMap(el);
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.marker([p.lat, p.lng], { icon: markerIcon }).addTo(map);
      var label = p.number + " · " + p.type;
      if (el.dataset.link) {
        var a = document.createElement("a");
        a.href = el.dataset.link.replace("0", String(p.id)).replace("NUMBER", p.number);
        a.textContent = label;
        marker.bindPopup(a);
      } else {
        marker.bindPopup(document.createTextNode(label));
      }
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length) { map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] }); }
  }

  function pickerMap(el) {
    var map = baseMap(el);
    var lat = document.getElementById(el.dataset.lat);
    var lng = document.getElementById(el.dataset.lng);
    var status = document.getElementById(el.dataset.status);
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { icon: markerIcon }).addTo(map); }
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      if (status) { status.textContent = lat.value + ", " + lng.value; }
    }
    map.on("click", function (e) { place(e.latlng); });
    var locate = document.getElementById(el.dataset.locate);
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          var here = L.latLng(pos.coords.latitude, pos.coords.longitude);
          map.setView(here, 17);
          place(here);
        });
      });
    }
  }

  document.querySelectorAll("[data-map-points]").forEach(pointsMap);
  document.querySelectorAll("[data-map-picker]").forEach(pickerMap);
})(document.currentScript);
