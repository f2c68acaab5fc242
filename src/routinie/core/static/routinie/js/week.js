// The week view's mouse and touch conveniences: drag a block to move it, drag its lower edge to
// change its end, click an empty slot to fill the add form. Everything also works without it:
// each block links to its edit form and the add form is on the page.
(function () {
  "use strict";

  var SLOT = 15, SLOTS = 96;

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }
  function status(text, ok) {
    var el = document.getElementById("week-status");
    if (!el) { return; }
    el.textContent = text;
    el.classList.toggle("is-ok", !!ok);
  }
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  // "2026-11-24" plus minutes, as a local "2026-11-24T09:15" (calendar arithmetic in UTC, so
  // the browser's own zone plays no part: the server reads it in the person's zone).
  function localAt(day, minutes) {
    var p = day.split("-");
    var d = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]) + minutes * 60000);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) +
      "T" + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }
  function slotHeight(column) { return column.getBoundingClientRect().height / SLOTS; }
  function place(block, top, span) {
    block.style.gridRowStart = String(top + 1);
    block.style.gridRowEnd = "span " + span;
    block.style.gridColumn = "1 / -1";
  }

  function scrollToWork(grid) {
    // At the working hours, or earlier when an entry starts earlier (not its part after midnight).
    var box = grid.querySelector(".week-scroll");
    if (!box) { return; }
    var column = grid.querySelector(".week-day.is-shown") || grid.querySelector(".week-day");
    var row = Number(grid.dataset.openAt || 32);
    grid.querySelectorAll(".week-day .block:not(.goes-on)").forEach(function (b) {
      if (b.offsetParent !== null) { row = Math.min(row, Number(b.dataset.top)); }  // shown days only
    });
    box.scrollTop = Math.max(0, row - 1) * slotHeight(column);
  }

  function send(block, fields, undo) {
    var grid = document.getElementById("week-grid");
    var shown = grid.querySelector(".week-day.is-shown");
    var body = new URLSearchParams(fields);
    body.set("week", grid.dataset.week);
    if (shown) { body.set("day", shown.dataset.day); }
    status("Saving…", true);
    fetch("/week/entries/" + block.dataset.entry + "/move/", {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "text/html" }
    }).then(function (response) {
      if (response.ok) {
        return response.text().then(function (html) {
          var old = document.getElementById("week-grid");
          var scroll = old.querySelector(".week-scroll").scrollTop;
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#week-grid");
          old.replaceWith(fresh);
          fresh.querySelector(".week-scroll").scrollTop = scroll;
          status("Saved: " + (fields.start ? fields.start.replace("T", " ") + " to " : "now ends ") + fields.end.replace("T", " ") + ".", true);
        });
      }
      return response.json().then(function (data) {
        undo();
        status("Not saved: " + (data.detail || "the change was refused."));
      }, function () { undo(); status("Not saved: the change was refused."); });
    }, function () { undo(); status("Not saved: the server could not be reached."); });
  }

  var drag = null;
  var suppressClick = false;

  function onDown(event) {
    if (event.button !== 0) { return; }
    var block = event.target.closest(".block");
    if (!block) { return; }
    var resizing = !!event.target.closest(".block-resize");
    if (resizing ? block.dataset.resizable !== "1" : block.dataset.movable !== "1") { return; }
    drag = {
      block: block, resizing: resizing, x: event.clientX, y: event.clientY, moved: false,
      parent: block.parentNode, next: block.nextSibling, top: Number(block.dataset.top),
      span: Number(block.dataset.span), column: block.parentNode, pointer: event.pointerId
    };
    drag.newTop = drag.top; drag.newSpan = drag.span;
    event.preventDefault();
  }

  function onMove(event) {
    if (!drag || event.pointerId !== drag.pointer) { return; }
    var dy = event.clientY - drag.y, dx = event.clientX - drag.x;
    if (!drag.moved && Math.abs(dy) < 4 && Math.abs(dx) < 4) { return; }
    if (!drag.moved) {
      drag.moved = true;
      drag.block.classList.add("is-dragging");
      try { drag.block.setPointerCapture(event.pointerId); } catch (e) { /* not captured */ }
    }
    var rows = Math.round(dy / slotHeight(drag.parent));
    if (drag.resizing) {
      drag.newSpan = Math.max(1, Math.min(SLOTS - drag.top, drag.span + rows));
      place(drag.block, drag.top, drag.newSpan);
      return;
    }
    drag.newTop = Math.max(0, Math.min(SLOTS - 1, drag.top + rows));
    var under = document.elementsFromPoint(event.clientX, event.clientY).filter(function (el) {
      return el.classList && el.classList.contains("week-day");
    })[0];
    if (under && under !== drag.column) { drag.column = under; under.appendChild(drag.block); }
    place(drag.block, drag.newTop, Math.min(drag.span, SLOTS - drag.newTop));
  }

  function onUp(event) {
    if (!drag || event.pointerId !== drag.pointer) { return; }
    var d = drag;
    drag = null;
    if (!d.moved) { return; }
    suppressClick = true;
    setTimeout(function () { suppressClick = false; }, 0);
    d.block.classList.remove("is-dragging");
    function undo() {
      d.block.style.gridRowStart = ""; d.block.style.gridRowEnd = ""; d.block.style.gridColumn = "";
      d.parent.insertBefore(d.block, d.next);
    }
    var day = d.column.dataset.day;
    if (d.resizing) {
      if (d.newSpan === d.span) { undo(); return; }
      send(d.block, { end: localAt(d.parent.dataset.day, (d.top + d.newSpan) * SLOT) }, undo);
      return;
    }
    if (d.newTop === d.top && d.column === d.parent) { undo(); return; }
    var start = d.newTop * SLOT;
    send(d.block, { start: localAt(day, start), end: localAt(day, start + Number(d.block.dataset.minutes)) }, undo);
  }

  // A click on an empty slot fills the add form with that day and time (one hour long).
  function onClick(event) {
    if (suppressClick) { event.preventDefault(); event.stopPropagation(); suppressClick = false; return; }
    var column = event.target.closest(".week-day");
    if (!column || event.target.closest(".block")) { return; }
    var form = document.querySelector('[data-testid="week-add-form"]');
    if (!form) { return; }
    var row = Math.floor((event.clientY - column.getBoundingClientRect().top) / slotHeight(column));
    row = Math.max(0, Math.min(SLOTS - 1, row));
    var start = localAt(column.dataset.day, row * SLOT), end = localAt(column.dataset.day, row * SLOT + 60);
    form.elements.day.value = column.dataset.day;
    form.elements.start_time.value = start.slice(11);
    form.elements.end_time.value = end.slice(11);
    form.elements.duration.value = "";
    status("New entry on " + column.dataset.day + " at " + start.slice(11) + ": fill in the form below.", true);
    form.elements.description.focus();
    form.scrollIntoView({ block: "center" });
  }

  function ready() {
    var grid = document.getElementById("week-grid");
    if (!grid) { return; }
    scrollToWork(grid);
    document.addEventListener("pointerdown", function (e) { if (e.target.closest("#week-grid")) { onDown(e); } });
    document.addEventListener("pointermove", onMove);
    document.addEventListener("pointerup", onUp);
    document.addEventListener("pointercancel", function () { drag = null; });
    document.addEventListener("click", function (e) { if (e.target.closest("#week-grid")) { onClick(e); } }, true);
    document.addEventListener("dragstart", function (e) { if (e.target.closest && e.target.closest("#week-grid")) { e.preventDefault(); } });
  }

  // The timesheet saves a cell when it is left and answers with the whole table; what is being
  // typed meanwhile into the next cell is kept across that swap: put back at once after the
  // swap, focused, caret at the end (put back after the settle, 20 ms later, it overwrote what
  // was typed in between). The new table listens for "change" only once settled, and a value
  // put back by a script makes no "change" of its own: so a cell left before the settle is
  // sent then, and one left after it is sent on leaving unless typing more already sent it.
  var typing = null, kept = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var el = document.activeElement;
    typing = event.target.id === "timesheet-form" && el && el.id && el.name && el.name.indexOf("cell-") === 0
      ? { id: el.id, value: el.value } : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    var el = typing && document.getElementById(typing.id);
    if (el && el.value !== typing.value) {
      kept = { el: el, served: el.value };
      el.value = typing.value;
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    }
    typing = null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var cell = kept;
    kept = null;
    if (!cell || !cell.el.isConnected) { return; }
    var send = function () {
      if (cell.el.value !== cell.served) { cell.el.dispatchEvent(new Event("change", { bubbles: true })); }
    };
    if (document.activeElement !== cell.el) { send(); return; }
    var changed = false;
    cell.el.addEventListener("change", function () { changed = true; }, { once: true });
    cell.el.addEventListener("blur", function () { if (!changed) { send(); } }, { once: true });
  });

  if (document.readyState !== "loading") { ready(); } else { document.addEventListener("DOMContentLoaded", ready); }
})();
