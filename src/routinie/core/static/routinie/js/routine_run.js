// The countdown of a routine's running step. Progressive: without it the page shows the time
// left when it was loaded, and the buttons work the same. It never moves on by itself.
(function () {
  "use strict";

  var shown = null;      // the <time> being counted down
  var deadline = 0;      // when its step's planned time is over (ms, this page's clock)
  var stepSeconds = 0;
  var baseTitle = document.title;

  function text(seconds) {
    var s = Math.max(0, seconds);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var r = s % 60;
    var mm = h ? (m < 10 ? "0" : "") + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (r < 10 ? "0" : "") + r;
  }

  function tick() {
    var time = document.querySelector("time[data-seconds-left]");
    if (!time) { shown = null; return; }
    if (time !== shown) {  // a new page or a swapped-in step: count from its own numbers
      shown = time;
      deadline = Date.now() + (parseInt(time.dataset.secondsLeft, 10) || 0) * 1000;
      stepSeconds = parseInt(time.dataset.stepSeconds, 10) || 0;
    }
    var left = Math.ceil((deadline - Date.now()) / 1000);
    var value = text(left);
    if (time.textContent !== value) {
      time.textContent = value;
      time.setAttribute("datetime", "PT" + Math.max(0, left) + "S");
      document.title = (left > 0 ? value : "Time's up") + " · " + baseTitle;
    }
    var bar = document.querySelector("[data-step-progress]");
    if (bar && stepSeconds > 0) {
      var done = Math.min(1, Math.max(0, 1 - left / stepSeconds));
      bar.setAttribute("width", String(Math.round(done * 1000) / 10));
    }
    if (left <= 0) {
      time.classList.add("rt-countdown-over");
      var note = document.querySelector("[data-times-up]");
      if (note && !note.textContent) { note.textContent = "Time's up — go to the next step."; }
    }
  }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    if (!document.querySelector("time[data-seconds-left]")) { return; }
    tick();
    window.setInterval(tick, 250);
  });
})();
