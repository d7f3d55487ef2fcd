// The driver's route on a phone, made for a weak mobile link: every tap becomes a "mark" with an id made here,
// kept in localStorage until the server has answered for it, and sent whenever the connection is there. The server
// takes each id once, so sending a mark twice (a lost answer, a reload) changes nothing.
(function () {
  "use strict";
  var dataEl = document.getElementById("route-data");
  if (!dataEl) { return; }
  var data = JSON.parse(dataEl.textContent);
  var QUEUE = "khizmat.marks." + data.route;
  var STATE = "khizmat.stops." + data.route;
  var stateEl = document.getElementById("sync-state");
  var errorsEl = document.getElementById("sync-errors");
  var csrf = document.querySelector("#driver-csrf input[name=csrfmiddlewaretoken]").value;
  var sending = false;
  var halted = false;  // the server refuses every request (e.g. 403): stop until the page is reloaded
  var MAX_MARKS = 20;
  // Each request must fit the server's limit (sent with the page); a 413 halves it.
  var limit = Math.max(4096, (data.maxRequestBytes || 2621440) - 2048);

  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function save(key, value) { localStorage.setItem(key, JSON.stringify(value)); }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function showState() {
    var waiting = load(QUEUE, []).length;
    if (!waiting) { stateEl.textContent = stateEl.dataset.allSent; stateEl.className = "sync-state sent"; return; }
    stateEl.textContent = (navigator.onLine ? stateEl.dataset.waiting : stateEl.dataset.offline) + " " + waiting;
    stateEl.className = "sync-state waiting";
    stateEl.dataset.count = String(waiting);
  }

  var markers = {};
  function paint(stopId, status) {
    var li = document.querySelector('li[data-stop="' + stopId + '"]');
    if (!li) { return; }
    li.dataset.status = status;
    li.className = "stop stop-" + status;
    var label = li.querySelector(".stop-state");
    label.textContent = label.getAttribute("data-label-" + status) || status;
    if (markers[stopId]) {
      markers[stopId].setStyle({ color: status === "done" ? "#2e7d32" : status === "skipped" ? "#c62828" : "#1565c0" });
    }
  }

  function addMark(mark) {
    mark.id = uuid4();
    mark.route = data.route;
    mark.at = new Date().toISOString();
    var queue = load(QUEUE, []);
    queue.push(mark);
    save(QUEUE, queue);
    if (mark.stop) {
      var state = load(STATE, {});
      state[mark.stop] = mark.kind === "stop_done" ? "done" : "skipped";
      save(STATE, state);
      paint(mark.stop, state[mark.stop]);
    }
    showState();
    sync();
  }

  function bytes(marks) { return new Blob([JSON.stringify({ marks: marks })]).size; }

  function say(text) {
    var li = document.createElement("li");
    li.textContent = text;
    errorsEl.appendChild(li);
  }

  // The marks at the head of the queue that fit one request. A mark too large alone loses its photo.
  function nextBatch() {
    var queue = load(QUEUE, []);
    if (queue.length && bytes([queue[0]]) > limit && queue[0].photo) {
      delete queue[0].photo;
      save(QUEUE, queue);
      say(errorsEl.dataset.photoDropped);
    }
    var batch = [];
    for (var i = 0; i < queue.length && batch.length < MAX_MARKS; i++) {
      if (batch.length && bytes(batch.concat([queue[i]])) > limit) { break; }
      batch.push(queue[i]);
    }
    return batch;
  }

  // The server refused the whole batch (400, or 413 for a single mark): it is not sent again; the reason shows.
  function refuse(batch, message) {
    var ids = {};
    batch.forEach(function (m) { ids[m.id] = true; });
    save(QUEUE, load(QUEUE, []).filter(function (m) { return !ids[m.id]; }));
    say(errorsEl.dataset.refused + " " + batch.length + ". " + message);
  }

  function sync() {
    var queue = load(QUEUE, []);
    if (sending || halted || !queue.length) { showState(); return; }
    sending = true;
    var batch = nextBatch();
    fetch(data.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ marks: batch })
    }).then(function (response) {
      if (response.ok) { return response.json(); }
      if (response.status >= 500) { throw new Error(String(response.status)); }  // the server is away: retry
      return response.json().catch(function () { return {}; }).then(function (body) {
        var message = body.error || String(response.status);
        if (response.status === 413 && batch.length > 1) {
          limit = Math.max(4096, Math.floor(bytes(batch) / 2));  // smaller requests next time
        } else if (response.status === 413 && batch[0].photo) {
          save(QUEUE, load(QUEUE, []).map(function (m) {  // sent again without its photo
            if (m.id === batch[0].id) { delete m.photo; }
            return m;
          }));
          say(errorsEl.dataset.photoDropped);
        } else if (response.status === 400 || response.status === 413) {
          refuse(batch, message);
        } else {
          halted = true;
          say(errorsEl.dataset.halted + " (" + message + ")");
        }
        return { results: [] };
      });
    }).then(function (body) {
      var answered = {};
      (body.results || []).forEach(function (r) {
        answered[r.id] = true;
        if (r.status === "refused") { say(r.message); }
      });
      save(QUEUE, load(QUEUE, []).filter(function (m) { return !answered[m.id]; }));
      sending = false;
      showState();
      if (load(QUEUE, []).length && !halted) { setTimeout(sync, 200); }
    }).catch(function () {
      sending = false;  // no connection (or the server is away): keep everything, try again later
      showState();
    });
  }

  function resized(file, done) {
    if (!file) { done(null); return; }
    var reader = new FileReader();
    reader.onload = function () {
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, 1024 / Math.max(img.width, img.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.width * scale);
        canvas.height = Math.round(img.height * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        done(canvas.toDataURL("image/jpeg", 0.7));
      };
      img.onerror = function () { done(null); };
      img.src = reader.result;
    };
    reader.readAsDataURL(file);
  }

  document.getElementById("driver-stops").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    var li = button.closest("li[data-stop]");
    if (button.dataset.action === "done") {
      addMark({ kind: "stop_done", stop: Number(li.dataset.stop) });
    } else {
      var form = li.querySelector(".skip-form");
      form.hidden = !form.hidden;
    }
  });
  document.querySelectorAll(".skip-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var li = form.closest("li[data-stop]");
      resized(form.photo.files[0], function (photo) {
        var mark = { kind: "stop_skipped", stop: Number(li.dataset.stop), reason: form.reason.value, note: form.note.value };
        if (photo) { mark.photo = photo; }
        form.hidden = true;
        addMark(mark);
      });
    });
  });
  document.querySelectorAll("form[data-mark]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var mark = { kind: form.dataset.mark };
      Array.prototype.forEach.call(form.elements, function (el) { if (el.name) { mark[el.name] = el.value; } });
      addMark(mark);
      form.reset();
    });
  });

  var mapEl = document.getElementById("driver-map");
  if (typeof L !== "undefined" && mapEl && data.stops.length) {
    var map = L.map(mapEl);
    if (mapEl.dataset.tiles) {
      L.tileLayer(mapEl.dataset.tiles, { maxZoom: 19, attribution: mapEl.dataset.attribution || "" }).addTo(map);
    }
    var line = [];
    data.stops.forEach(function (s) {
      markers[s.id] = L.circleMarker([s.lat, s.lng], { radius: 7 }).addTo(map).bindPopup(s.seq + ". " + s.name);
      line.push([s.lat, s.lng]);
    });
    L.polyline(line, { weight: 2, opacity: 0.5 }).addTo(map);
    map.fitBounds(line, { padding: [20, 20] });
  }
  // The server's statuses, then what this phone marked but has not sent yet.
  data.stops.forEach(function (s) { paint(s.id, s.status); });
  var local = load(STATE, {});
  load(QUEUE, []).forEach(function (m) { if (m.stop && local[m.stop]) { paint(m.stop, local[m.stop]); } });

  window.addEventListener("online", sync);
  window.addEventListener("offline", showState);
  setInterval(sync, 15000);
  showState();
  sync();
})();
