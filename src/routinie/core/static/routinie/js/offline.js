// Routinie without a connection (signed-in pages): the service worker that keeps /today/, and an
// outbox for what can be done offline. Starting and stopping the timer and checking in a routine
// are kept in IndexedDB, with a client-made id and the moment they were made, shown as "waiting
// to be sent", and sent in order through the API when the connection comes back. Sending twice
// changes nothing (the entry's id, the routine's day); what the server refuses is shown until the
// person dismisses it, never dropped. Signing out deletes the outbox and the caches (after a
// warning when something is still waiting). Everything else fails as before ("No connection").
(function () {
  "use strict";

  var accountMeta = document.querySelector('meta[name="routinie-account"]');
  if (!accountMeta || !window.indexedDB) { return; }
  var account = accountMeta.content;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* not installable here */ });
  }

  // --- The outbox: one IndexedDB store, every item marked with its account --------------------
  var DB = "routinie-offline", STORE = "outbox";
  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function store(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), answer;
        Promise.resolve(work(tx.objectStore(STORE))).then(function (value) { answer = value; });
        tx.oncomplete = function () { db.close(); resolve(answer); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function items() {
    return store("readonly", function (s) {
      return new Promise(function (resolve) {
        var request = s.getAll();
        request.onsuccess = function () {
          resolve(request.result.filter(function (item) { return item.account === account; }));
        };
      });
    });
  }
  function add(item) { item.account = account; item.state = "waiting"; return store("readwrite", function (s) { s.add(item); }); }
  function put(item) { return store("readwrite", function (s) { s.put(item); }); }
  function remove(seq) { return store("readwrite", function (s) { s.delete(seq); }); }

  // --- Words and times ------------------------------------------------------------------------
  function hhmm(iso) {
    var d = new Date(iso);
    return (d.getHours() < 10 ? "0" : "") + d.getHours() + ":" + (d.getMinutes() < 10 ? "0" : "") + d.getMinutes();
  }
  function describe(item) {
    var what = item.description ? "“" + item.description + "”" : "the timer";
    if (item.kind === "start") { return "Start " + what + " at " + hhmm(item.start); }
    if (item.kind === "stop") { return "Stop " + what + " at " + hhmm(item.end); }
    return (item.status === "done" ? "Done: " : "Skipped: ") + item.routineName + " (" + item.date + ")";
  }
  // Today's date where the person lives (their account's zone, from the page).
  function today() {
    var main = document.querySelector("[data-zone]");
    var zone = main ? main.dataset.zone : undefined;
    try { return new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date()); } catch (e) {
      return new Date().toISOString().slice(0, 10);
    }
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    b.forEach(function (x) { h.push((x + 256).toString(16).slice(1)); });
    h = h.join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); } });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function valueOf(form, name) {
    var field = form.querySelector('[name="' + name + '"]');
    return field && field.value ? field.value.trim() : "";
  }

  // --- What can be queued: the timer's Start and Stop, a routine's Done and Skip --------------
  function actionOf(form) {
    var submitter = form.routinieSubmitter, timer = form.closest("[data-offline-timer]");
    var routine = form.closest("[data-routine-id]");
    if (timer) {
      var action = submitter && submitter.name === "action" ? submitter.value : (form.querySelector('input[name="action"]') || {}).value;
      if (!action && !valueOf(form, "started_at") && !valueOf(form, "new_project")) {
        var tags = valueOf(form, "tags").split(",").map(function (t) { return t.trim(); }).filter(Boolean);
        return { kind: "start", entryId: newId(), description: valueOf(form, "description"),
          projectId: valueOf(form, "project") || null, tags: tags, start: new Date().toISOString() };
      }
      if (action === "stop" && timer.dataset.entryId) {
        return { kind: "stop", entryId: timer.dataset.entryId, description: timer.dataset.runningDescription || "", end: new Date().toISOString() };
      }
      return null;  // pause, resume, a typed start time: they need the connection
    }
    if (routine && submitter && submitter.name === "status") {
      var value = form.querySelector('input[name="value"]');
      return { kind: "checkin", routineId: routine.dataset.routineId, routineName: routine.dataset.routineName,
        date: today(), status: submitter.value, value: value && value.value !== "" ? Number(value.value) : null };
    }
    return null;
  }
  function queue(form) {
    var action = actionOf(form);
    if (!action) { return false; }
    action.made = new Date().toISOString();
    add(action).then(show).then(sendSoon);
    return true;
  }
  // Offline, a queueable form is not sent at all; a send that fails for want of a network is
  // queued instead of failing (the mark tells app.js not to say "not saved").
  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail.elt && e.detail.elt.closest ? e.detail.elt.closest("form") : null;
    if (form && navigator.onLine === false && queue(form)) { e.preventDefault(); }
  }, true);
  document.addEventListener("htmx:sendError", function (e) {
    var form = e.detail.elt && e.detail.elt.closest ? e.detail.elt.closest("form") : null;
    if (form && queue(form)) { e.detail.routinieQueued = true; }
  }, true);
  // The panels this script draws (a timer started offline) always go through the outbox.
  document.addEventListener("submit", function (e) {
    if (e.target.matches && e.target.matches("form[data-offline-form]")) { e.preventDefault(); queue(e.target); }
  });

  // --- Showing it: the timer and routines as they will be, and the list of what waits ----------
  function timerPanel(last) {
    var panel;
    if (last.kind === "start") {
      panel = el("section", { "class": "card timer timer-running", id: "timer", "data-offline-timer": "", "aria-labelledby": "timer-h",
        "data-entry-id": last.entryId, "data-running-since": String(Date.parse(last.start) / 1000), "data-running-description": last.description }, [
        el("h2", { id: "timer-h", "class": "visually-hidden", text: "Timer" }),
        el("form", { "class": "timer-row", "data-offline-form": "" }, [
          el("div", { "class": "timer-what" }, [
            el("strong", { "data-testid": "running-description", text: last.description || "(no description)" }),
            document.createTextNode(" "),
            el("span", { "class": "muted", "data-testid": "running-since", text: "since " + hhmm(last.start) })]),
          el("span", { "class": "badge badge-warn", "data-testid": "timer-waiting", text: "Waiting to be sent" }),
          el("time", { "class": "timer-clock", "data-elapsed-since": String(Date.parse(last.start) / 1000), "data-testid": "timer-clock" }),
          el("input", { type: "hidden", name: "action", value: "stop" }),
          el("button", { type: "submit", "class": "danger", "data-shortcut": "s", "aria-keyshortcuts": "s", title: "Stop (S)", text: "Stop" })])]);
    } else {
      panel = el("section", { "class": "card timer", id: "timer", "data-offline-timer": "", "aria-labelledby": "timer-h" }, [
        el("h2", { id: "timer-h", "class": "visually-hidden", text: "Timer" }),
        el("p", { "data-testid": "timer-waiting" }, [el("span", { "class": "badge badge-warn", text: "Stopped at " + hhmm(last.end) + ", waiting to be sent" })]),
        el("form", { "class": "timer-form", "data-offline-form": "" }, [
          el("div", { "class": "field timer-description" }, [
            el("label", { "for": "offline-description", "class": "visually-hidden", text: "What are you working on?" }),
            el("input", { type: "text", name: "description", id: "offline-description", maxlength: "500", placeholder: "What are you working on?" })]),
          el("div", { "class": "timer-start" }, [el("button", { type: "submit", "data-shortcut": "s", "aria-keyshortcuts": "s", title: "Start (S)", text: "Start" })])])]);
    }
    var timer = document.getElementById("timer");
    if (timer) { timer.replaceWith(panel); }
  }
  function markRoutine(item) {
    var row = document.querySelector('[data-routine-id="' + item.routineId + '"]');
    if (!row || item.date !== today()) { return; }
    row.dataset.state = "waiting";
    var form = row.querySelector("form");
    if (form) { form.hidden = true; }
    var badge = row.querySelector("[data-testid=checkin-waiting]") || row.appendChild(el("span", { "class": "badge badge-warn", "data-testid": "checkin-waiting" }));
    badge.textContent = (item.status === "done" ? "Done" : "Skipped") + ", waiting to be sent";
  }
  function region() {
    var box = document.getElementById("outbox");
    if (!box) {
      box = el("section", { id: "outbox", "class": "card outbox", "aria-labelledby": "outbox-h", "data-testid": "outbox" });
      var main = document.getElementById("main") || document.body;
      main.insertBefore(box, main.firstChild);
    }
    return box;
  }
  var needsSignIn = false;
  function render(list) {
    var waiting = list.filter(function (i) { return i.state === "waiting"; });
    var conflicts = list.filter(function (i) { return i.state === "conflict"; });
    var timerItems = waiting.filter(function (i) { return i.kind !== "checkin"; });
    if (timerItems.length) { timerPanel(timerItems[timerItems.length - 1]); }
    waiting.filter(function (i) { return i.kind === "checkin"; }).forEach(markRoutine);
    if (!waiting.length && !conflicts.length) { var old = document.getElementById("outbox"); if (old) { old.remove(); } return; }
    var box = region(), parts = [];
    if (conflicts.length) {
      parts.push(el("div", { "class": "alert alert-error", role: "alert", "data-testid": "outbox-conflicts" }, conflicts.map(function (item) {
        return el("p", { "data-testid": "outbox-conflict" }, [document.createTextNode(item.message + " "),
          el("button", { type: "button", "class": "button-small secondary", "data-dismiss": String(item.seq), text: "Dismiss" })]);
      })));
    }
    if (waiting.length) {
      parts.push(el("h2", { id: "outbox-h", text: "Waiting to be sent" }));
      parts.push(el("p", { "class": "muted", text: needsSignIn ? "" : "Kept on this device; sent as soon as Routinie can be reached." }, needsSignIn ? [
        document.createTextNode("Routinie did not accept these: your session ended, or this page is out of date. "),
        el("a", { href: "/login/?next=" + encodeURIComponent(location.pathname), text: "Sign in again" })] : []));
      parts.push(el("ul", { "class": "outbox-list" }, waiting.map(function (item) {
        return el("li", { "data-testid": "outbox-item", text: describe(item) });
      })));
    } else {
      parts.push(el("h2", { id: "outbox-h", "class": "visually-hidden", text: "Not sent" }));
    }
    box.replaceChildren.apply(box, parts);
  }
  function show() { return items().then(render); }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-dismiss]");
    if (button) { remove(Number(button.dataset.dismiss)).then(show); }
  });

  // --- Sending: in order, each safe to send twice ---------------------------------------------
  function api(method, path, body) {
    var csrf = document.querySelector('meta[name="csrf-token"]');
    return fetch("/api/v1/" + path, { method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf ? csrf.content : "" },
      body: body ? JSON.stringify(body) : undefined }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return { status: response.status, data: data }; });
    });
  }
  var SAME_MOMENT_MS = 60000;  // a stop sent before its answer was lost: the server's own end
  function sameMoment(a, b) { return Math.abs(Date.parse(a) - Date.parse(b)) < SAME_MOMENT_MS; }
  function conflict(text) { return { conflict: text }; }
  function sent() { return { sent: true }; }
  function outcome(answer, onConflict) {
    if (answer.status === 401 || answer.status === 403) { return { signIn: true }; }
    if (answer.status >= 500 || answer.status === 429) { return { later: true }; }
    if (answer.status < 300) { return sent(); }
    return onConflict(answer);
  }
  var senders = {
    start: function (item) {
      return api("POST", "time-entries", { id: item.entryId, description: item.description,
        project_id: item.projectId || null, tags: item.tags || [], start: item.start, end: null }).then(function (answer) {
        return outcome(answer, function (refused) {
          return api("GET", "time-entries/" + item.entryId).then(function (mine) {
            if (mine.status === 200 && sameMoment(mine.data.start, item.start)) { return sent(); }  // sent before
            return conflict(describe(item) + " was not saved: " + (refused.data.detail || "refused") +
              (refused.status === 409 ? " (a timer was started on another device meanwhile)." : ""));
          });
        });
      });
    },
    stop: function (item) {
      return api("GET", "time-entries/" + item.entryId).then(function (entry) {
        if (entry.status === 404) { return conflict(describe(item) + " was not saved: that entry was deleted meanwhile."); }
        if (entry.status !== 200) { return outcome(entry, function () { return conflict(describe(item) + " was not saved."); }); }
        if (entry.data.end) {
          if (sameMoment(entry.data.end, item.end)) { return sent(); }
          return conflict(describe(item) + " was not saved: the timer had already been stopped at " + hhmm(entry.data.end) + " (on another device).");
        }
        return api("PATCH", "time-entries/" + item.entryId, { end: item.end }).then(function (answer) {
          return outcome(answer, function (refused) { return conflict(describe(item) + " was not saved: " + (refused.data.detail || "refused") + "."); });
        });
      });
    },
    checkin: function (item) {
      var path = "routines/" + item.routineId + "/checkins";
      return api("GET", path + "?from=" + item.date + "&to=" + item.date).then(function (existing) {
        if (existing.status === 404) { return conflict(describe(item) + " was not saved: that routine was deleted meanwhile."); }
        var other = existing.status === 200 && existing.data.items.filter(function (c) { return c.status !== item.status; })[0];
        if (other) { return conflict(describe(item) + " was not saved: it had already been marked " + other.status + " (on another device)."); }
        var body = { date: item.date, status: item.status };
        if (item.value !== null && item.value !== undefined) { body.value = item.value; }
        return api("POST", path, body).then(function (answer) {
          return outcome(answer, function (refused) { return conflict(describe(item) + " was not saved: " + (refused.data.detail || "refused") + "."); });
        });
      });
    },
  };
  // A start that was refused takes its stop with it: the message says both.
  function settle(item, result, list) {
    if (result.sent) { return remove(item.seq); }
    item.state = "conflict";
    item.message = result.conflict;
    var stop = item.kind === "start" && list.filter(function (i) { return i.kind === "stop" && i.entryId === item.entryId && i.state === "waiting"; })[0];
    if (stop) { item.message += " Its stop at " + hhmm(stop.end) + " was not sent either."; stop.state = "dropped"; }
    return put(item).then(function () { return stop ? remove(stop.seq) : null; });
  }
  function sendAll() {
    return items().then(function (list) {
      var waiting = list.filter(function (i) { return i.state === "waiting"; });
      var sentSome = false;
      function next(index) {
        if (index >= waiting.length) { return sentSome; }
        var item = waiting[index];
        if (item.state !== "waiting") { return next(index + 1); }
        return senders[item.kind](item).then(function (result) {
          if (result.later) { return sentSome; }
          if (result.signIn) { needsSignIn = true; return sentSome; }
          needsSignIn = false;
          sentSome = true;
          return settle(item, result, waiting).then(function () { return next(index + 1); });
        }, function () { return sentSome; });  // the network again: the rest waits
      }
      return next(0);
    });
  }
  var sending = null;
  function send() {
    if (sending) { return sending; }
    var run = function () { return sendAll(); };
    var locked = navigator.locks ? navigator.locks.request("routinie-outbox", run) : run();
    sending = locked.then(function (sentSome) {
      sending = null;
      if (sentSome && document.getElementById("today-main") && window.htmx) {
        return window.htmx.ajax("GET", location.pathname, { target: "#main", select: "#main", swap: "outerHTML" });
      }
      return show();
    }, function () { sending = null; });
    return sending;
  }
  function sendSoon() { if (navigator.onLine !== false) { send(); } }
  window.addEventListener("online", sendSoon);
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.detail.target && e.detail.target.id === "main") { show(); }
  });

  // --- Signing out: nothing of this person stays on the device --------------------------------
  function forget() {
    var jobs = [store("readwrite", function (s) {
      return new Promise(function (resolve) {
        var request = s.getAll();
        request.onsuccess = function () {
          request.result.forEach(function (item) { if (item.account === account) { s.delete(item.seq); } });
          resolve();
        };
      });
    })];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("routinie-") === 0; }).map(function (n) { return caches.delete(n); }));
      }));
    }
    if ("serviceWorker" in navigator) {
      jobs.push(navigator.serviceWorker.getRegistrations().then(function (all) {
        return Promise.all(all.map(function (r) { return r.unregister(); }));
      }));
    }
    return Promise.all(jobs);
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.action || new URL(form.action, location.href).pathname !== "/logout/" || form.routinieForgotten) { return; }
    e.preventDefault();
    items().then(function (list) {
      var waiting = list.filter(function (i) { return i.state === "waiting"; }).length;
      if (waiting && !window.confirm(waiting + (waiting === 1 ? " action" : " actions") +
        " made without a connection have not been sent yet. Signing out deletes them from this device. Sign out anyway?")) { return null; }
      return forget().then(function () { form.routinieForgotten = true; form.submit(); });
    });
  }, true);

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () { show().then(sendSoon); });
})();
