// Routinie's page behaviour. Progressive: every page reads and submits without it.
(function () {
  "use strict";

  // htmx requests carry the CSRF token from the page's <meta> (the cookie is HttpOnly).
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
  });

  // Failures are never silent. A request that fails (the session ended, a refusal, a server
  // error, no network) says so at the top of the page, in a role="alert" region, with a way
  // forward: signed out, a sign-in link that comes back to this page. One place for every htmx
  // request, and routinie.fetch() for scripts that call fetch.
  function signInLink() { return "/login/?next=" + encodeURIComponent(location.pathname + location.search); }
  function pathOf(detail) { return (detail.pathInfo && detail.pathInfo.requestPath) || ""; }
  // The button that sent each form: a form may hold several (the timer's Pause and Stop), and
  // the message names the one pressed. Captured before htmx hears the submit.
  document.addEventListener("submit", function (event) {
    if (event.submitter) { event.target.routinieSubmitter = event.submitter; }
  }, true);
  function notSaved(elt) {
    var form = elt && elt.closest ? elt.closest("form") : null;
    var button = form ? (form.routinieSubmitter ||
      form.querySelector('button[type="submit"], button:not([type])')) : null;
    var words = button ? button.textContent.trim() : "";
    return words ? "“" + words + "” was not saved. " : "Your last change was not saved. ";
  }
  function failure(status) {
    var signedInPage = !!document.querySelector('meta[name="csrf-token"]');
    if (status === 401) { return ["Your session ended: sign in again to carry on.", signInLink(), "Sign in again"]; }
    if (status === 403 && signedInPage) { return ["This page is out of date, or your session ended.", location.href, "Reload the page"]; }
    if (status === 0) { return ["No connection to Routinie: check your network, then try again.", location.href, "Reload the page"]; }
    if (status === 429) { return ["Too many attempts: wait a minute, then try again.", "", ""]; }
    if (status >= 500) { return ["Something went wrong on our side (error " + status + "). Try again in a moment.", "/contact/", "Contact support"]; }
    return ["That did not work (error " + status + ").", location.href, "Reload the page"];
  }
  function showFailure(status, elt, path) {
    var region = document.querySelector("[data-request-failure]");
    var main = document.getElementById("main") || document.body;
    if (!region) {
      region = document.createElement("div");
      region.className = "alert alert-error";
      region.setAttribute("role", "alert");
      region.setAttribute("data-request-failure", "");
      region.setAttribute("data-testid", "request-failure");
      main.insertBefore(region, main.firstChild);
    }
    var says = failure(status), p = document.createElement("p");
    p.textContent = notSaved(elt) + says[0] + " ";
    if (says[1]) { var a = document.createElement("a"); a.href = says[1]; a.textContent = says[2]; p.appendChild(a); }
    region.replaceChildren(p);
    region.hidden = false;
    failedPath = path;
    if (region.scrollIntoView) { region.scrollIntoView({ block: "nearest" }); }
  }
  var failedPath = null;  // what failed: its next success clears the message (not a poll's)
  function clearFailure(path) {
    var region = document.querySelector("[data-request-failure]");
    if (region && path === failedPath) { region.hidden = true; }
  }
  document.addEventListener("htmx:responseError", function (e) { showFailure(e.detail.xhr.status, e.detail.elt, pathOf(e.detail)); });
  // (offline.js queues what can wait for the connection, and marks it: not a failure)
  document.addEventListener("htmx:sendError", function (e) { if (!e.detail.routinieQueued) { showFailure(0, e.detail.elt, pathOf(e.detail)); } });
  document.addEventListener("htmx:timeout", function (e) { showFailure(0, e.detail.elt, pathOf(e.detail)); });
  document.addEventListener("htmx:afterRequest", function (e) { if (e.detail.successful) { clearFailure(pathOf(e.detail)); } });
  // Keep the keyboard's place across a swap: when the focused control is replaced by one with
  // another id or none ("Done" becomes "Undo"), focus moves to the first button (or link) of the
  // new content instead of falling back to the top of the page; never into a text field, where
  // the next key would be typed instead of reaching a shortcut (S starts the timer again).
  var focusWasIn = null;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var target = e.detail.target, active = document.activeElement;
    var inside = target && target.id && active && active !== document.body && target.contains(active);
    focusWasIn = inside ? target.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var id = focusWasIn;
    focusWasIn = null;
    if (!id || (document.activeElement && document.activeElement !== document.body)) { return; }
    var fresh = document.getElementById(id);
    var control = fresh && (fresh.querySelector("button:not([disabled])") || fresh.querySelector("a[href]"));
    if (control) { control.focus({ preventScroll: true }); }
  });
  window.routinie = window.routinie || {};
  // fetch(), saying in the page when it fails; `elt` is the element that started it, if any.
  window.routinie.fetch = function (url, options, elt) {
    return window.fetch(url, options).then(function (response) {
      var toSignIn = response.redirected && new URL(response.url).pathname === "/login/";
      if (toSignIn || !response.ok) { showFailure(toSignIn ? 401 : response.status, elt, String(url)); } else { clearFailure(String(url)); }
      return response;
    }, function (error) { showFailure(0, elt, String(url)); throw error; });
  };

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
