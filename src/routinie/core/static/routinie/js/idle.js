// Idle detection while a timer runs (tracking/_idle_dialog.html): after `data-idle-minutes`
// without input in the page (pointer, keys, touch, wheel, scroll, the tab shown again), the
// next input opens a dialog, once the server says the timer still runs unpaused, asking
// whether to keep the idle time or discard it (as a break, or by stopping the timer where it
// began). The form sends durations, not clock times: the server places them on its own
// clock. No library; the dialog is the native <dialog> (modal: focus moves into it and back,
// Escape keeps the time).
(() => {
  "use strict";
  const dialog = document.getElementById("idle-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const limit = Number(dialog.dataset.idleMinutes) * 60000;
  if (!(limit > 0)) return;
  const form = dialog.querySelector("form");
  let last = Date.now();
  let away = null; // {since, back}: the idle span the dialog asks about

  const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const length = (ms) => {
    const minutes = Math.round(ms / 60000);
    return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  };

  const ask = (since, back) => {
    away = { since, back };
    dialog.querySelectorAll("[data-idle-since]").forEach((node) => { node.textContent = clock(since); });
    dialog.querySelector("[data-idle-length]").textContent = length(back - since);
    dialog.showModal();
    dialog.querySelector("[data-idle-keep]").focus();
  };

  // Before asking, the server says whether this timer still runs unpaused (it may have been
  // stopped or paused meanwhile, here by htmx or elsewhere): no question about a stopped one.
  const stillRunning = () =>
    window.fetch("/api/v1/timer", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { running: null }))
      .then((body) => {
        const running = body.running;
        if (!running || running.id !== dialog.dataset.entry) return false;
        return !(running.breaks || []).some((pause) => pause.end === null);
      })
      .catch(() => false);

  let checking = false;
  const input = () => {
    if (dialog.open || checking) return;
    const now = Date.now();
    if (now - last < limit) {
      last = now;
      return;
    }
    const since = last;
    checking = true;
    stillRunning().then((running) => {
      checking = false;
      if (running) ask(since, now);
      else last = Date.now();
    });
  };

  for (const kind of ["pointerdown", "pointermove", "keydown", "touchstart", "wheel", "scroll"]) {
    window.addEventListener(kind, input, { capture: true, passive: true });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") input();
  });
  window.addEventListener("focus", input);

  // Kept (the button, or Escape): input counts again from this moment.
  const keep = () => { away = null; last = Date.now(); };
  dialog.querySelector("[data-idle-keep]").addEventListener("click", () => { keep(); dialog.close(); });
  dialog.addEventListener("cancel", keep);
  form.addEventListener("submit", () => {
    if (!away) return;
    form.elements.away_seconds.value = String(Math.round((away.back - away.since) / 1000));
    form.elements.back_seconds_ago.value = String(Math.max(0, Math.round((Date.now() - away.back) / 1000)));
  });
})();
