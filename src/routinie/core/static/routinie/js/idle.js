// Idle detection while a timer runs (tracking/_idle_dialog.html): after `data-idle-minutes`
// without input in the page (pointer, keys, touch, wheel, scroll, the tab shown again), the
// next input opens a dialog asking whether to keep the idle time or discard it (as a break,
// or by stopping the timer where it began). The form sends durations, not clock times: the
// server places them on its own clock. No library; the dialog is the native <dialog>
// (modal: focus moves into it and back, Escape keeps the time).
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

  const input = () => {
    if (dialog.open) return;
    const now = Date.now();
    if (now - last >= limit) ask(last, now);
    last = now;
  };

  for (const kind of ["pointerdown", "pointermove", "keydown", "touchstart", "wheel", "scroll"]) {
    window.addEventListener(kind, input, { capture: true, passive: true });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") input();
  });
  window.addEventListener("focus", input);

  dialog.querySelector("[data-idle-keep]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { away = null; last = Date.now(); });
  form.addEventListener("submit", () => {
    if (!away) return;
    form.elements.away_seconds.value = String(Math.round((away.back - away.since) / 1000));
    form.elements.back_seconds_ago.value = String(Math.max(0, Math.round((Date.now() - away.back) / 1000)));
  });
})();
