// The board's clock ticks every second in the organization's time. The server renders its own instant
// (data-server-ms) and the organization's UTC offset (data-offset-seconds): the board shows that zone whatever
// the device's zone is, and a device clock that is off does not matter. A CSP-safe static file (no inline script).
(function () {
  "use strict";
  function start(clock) {
    var serverMs = Number(clock.getAttribute("data-server-ms"));
    var offsetMs = Number(clock.getAttribute("data-offset-seconds")) * 1000;
    if (!isFinite(serverMs) || !isFinite(offsetMs)) return;
    var skew = serverMs - Date.now();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function tick() {
      var local = new Date(Date.now() + skew + offsetMs); // read with the UTC getters: the offset is applied
      var text = pad(local.getUTCHours()) + ":" + pad(local.getUTCMinutes());
      if (clock.textContent !== text) clock.textContent = text;
    }
    tick();
    window.setInterval(tick, 1000);
  }
  function init() {
    var clocks = document.querySelectorAll("[data-clock]");
    for (var i = 0; i < clocks.length; i++) start(clocks[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
