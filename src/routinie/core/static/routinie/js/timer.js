// The timer's page behaviour (/today/, /entries/): totals that tick with a running timer, the
// running time in the tab title and the favicon, and the "+1 day" hint on entry forms.
// Progressive: the server shows the same totals at load and refuses what the hint warns of.
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function clock(total) {
    total = Math.max(0, Math.floor(total));
    return Math.floor(total / 3600) + ":" + pad(Math.floor((total % 3600) / 60)) + ":" + pad(total % 60);
  }

  // A day's total with a running timer: the finished seconds plus the running time, from the
  // server's start time, so a reload never drifts.
  function tickTotals(now) {
    document.querySelectorAll("[data-total-since]").forEach(function (el) {
      el.textContent = clock(Number(el.dataset.totalFinished) + now - Number(el.dataset.totalSince));
    });
  }

  var baseTitle = document.title;
  var icon = null, baseIcon = null, runningIcon = null;
  function favicon(running) {
    if (!icon) {
      icon = document.querySelector('link[rel~="icon"]');
      if (!icon) { icon = document.createElement("link"); icon.rel = "icon"; document.head.appendChild(icon); }
      baseIcon = icon.getAttribute("href");
    }
    if (running && !runningIcon) {
      var svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="#c0392b"/><rect x="10" y="10" width="12" height="12" rx="2" fill="#fff"/></svg>';
      runningIcon = "data:image/svg+xml," + encodeURIComponent(svg);
    }
    var want = running ? runningIcon : baseIcon;
    if (want && icon.getAttribute("href") !== want) {
      icon.setAttribute("href", want);
      icon.setAttribute("type", "image/svg+xml");
      icon.dataset.running = running ? "yes" : "no";
    }
  }

  // "0:42:10 · Writing · Routinie" while a timer runs; the page's own title when none does.
  function tickTitle(now) {
    var timer = document.querySelector("[data-running-since]");
    if (!timer) {
      if (document.title !== baseTitle) { document.title = baseTitle; }
      favicon(false);
      return;
    }
    var parts = [clock(now - Number(timer.dataset.runningSince))];
    if (timer.dataset.runningDescription) { parts.push(timer.dataset.runningDescription); }
    parts.push("Routinie");
    document.title = parts.join(" · ");
    favicon(true);
  }

  function tick() {
    var now = Date.now() / 1000;
    tickTotals(now); tickTitle(now);
  }

  // "+1 day" next to an end earlier than its start (the night-shift rule), with the length
  // when it is over 12 hours (the server then asks to confirm).
  function minutes(text) {
    var m = /^\s*([01]?\d|2[0-3])\s*[:.h]?\s*([0-5]\d)\s*$/.exec(text || "");
    return m ? Number(m[1]) * 60 + Number(m[2]) : null;
  }
  function hint(form) {
    var start = form.querySelector("[data-start]"), end = form.querySelector("[data-end]");
    var out = form.querySelector("[data-next-day]");
    if (!start || !end || !out) { return; }
    var a = minutes(start.value), b = minutes(end.value), text = "";
    if (a !== null && b !== null && b < a) {
      var length = b + 24 * 60 - a;
      text = "+1 day" + (length > 12 * 60 ? " (" + Math.floor(length / 60) + ":" + pad(length % 60) + " h)" : "");
    }
    if (out.textContent !== text) { out.textContent = text; }
  }
  function hintAll() { document.querySelectorAll("form").forEach(hint); }

  document.addEventListener("input", function (event) {
    var form = event.target && event.target.form;
    if (form) { hint(form); }
  });
  document.addEventListener("htmx:afterSettle", function () { hintAll(); tick(); });

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () { hintAll(); tick(); window.setInterval(tick, 1000); });
})();
