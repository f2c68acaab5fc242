// Routinie's page behaviour. Progressive: every page reads and submits without it.
(function () {
  "use strict";

  // htmx requests carry the CSRF token from the page's <meta> (the cookie is HttpOnly).
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
  });

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  // The browser's time zone preselects the sign-up's time zone; the user can change it later.
  function fillTimezone() {
    var field = document.querySelector("input[data-browser-timezone]");
    if (!field || field.value) { return; }
    try { field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* keep UTC */ }
  }

  // Say at once when cookies are blocked, instead of after a refused form. Some browsers keep
  // navigator.cookieEnabled true while their settings block every cookie, so also write a
  // probe cookie, read it back and delete it at once (declared in the cookie inventory).
  function cookiesWork() {
    if (!navigator.cookieEnabled) { return false; }
    var probe = "rt_cookie_probe=1";
    document.cookie = probe + "; path=/; SameSite=Lax";
    var works = document.cookie.indexOf(probe) !== -1;
    document.cookie = "rt_cookie_probe=; path=/; max-age=0; SameSite=Lax";
    return works;
  }

  function warnWhenCookiesBlocked() {
    var warning = document.querySelector("[data-cookie-warning]");
    if (warning && !cookiesWork()) { warning.hidden = false; }
  }

  // A strength hint: which rules are met, and a rough score. The server has the final word.
  function strengthHint() {
    var input = document.querySelector("input[data-strength]");
    if (!input) { return; }
    var meter = document.querySelector(".strength");
    var rules = document.querySelectorAll("[data-rule]");
    var label = document.querySelector("[data-strength-label]");
    var names = ["Too weak", "Weak", "Fair", "Good", "Strong"];
    input.addEventListener("input", function () {
      var v = input.value;
      var checks = { length: v.length >= 8, digit: /\d/.test(v) };
      rules.forEach(function (li) { li.classList.toggle("met", !!checks[li.dataset.rule]); });
      var classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter(function (r) { return r.test(v); }).length;
      var score = 0;
      if (checks.length && checks.digit) { score = 1 + (v.length >= 12 ? 1 : 0) + (classes >= 3 ? 1 : 0) + (v.length >= 16 ? 1 : 0); }
      if (meter) { meter.dataset.score = String(score); meter.querySelector("span").style.width = (score * 25) + "%"; }
      if (label) { label.textContent = v ? names[score] : ""; }
    });
  }

  // Keyboard shortcuts: a button with data-shortcut="s" is pressed by the S key, unless the
  // person is typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var button = document.querySelector('[data-shortcut="' + event.key.toLowerCase() + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });

  // Running clocks: <time data-elapsed-since="unix seconds"> shows H:MM:SS, updated each second.
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tickClocks() {
    var now = Date.now() / 1000;
    document.querySelectorAll("[data-elapsed-since]").forEach(function (el) {
      var total = Math.max(0, Math.floor(now - Number(el.dataset.elapsedSince)));
      var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
      el.textContent = h + ":" + pad(m) + ":" + pad(s);
    });
  }

  ready(function () {
    fillTimezone(); warnWhenCookiesBlocked(); strengthHint();
    tickClocks(); window.setInterval(tickClocks, 1000);
  });
})();
