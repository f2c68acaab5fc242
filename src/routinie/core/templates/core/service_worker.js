// Routinie's service worker (served as /sw.js). It keeps the app shell (styles, scripts, icons,
// the offline page) and the last /today/ page, so /today/ opens without a connection. Pages come
// from the network first, the cache only when it fails; the API is never intercepted or kept.
// The page's script deletes these caches when the person signs out.
"use strict";
const VERSION = "{{ version }}";
const SHELL = {{ shell|safe }};
const CACHE = "routinie-shell-" + VERSION;
const PAGES = "routinie-pages";
const OFFLINE_PAGE = "/offline/";
const KEPT_PAGES = ["/today/"];

// The start page is kept at once, so it opens offline even before it is visited again.
async function keepStartPage() {
  try {
    const request = new Request(KEPT_PAGES[0], { credentials: "same-origin" });
    const response = await fetch(request);
    if (keepable(request, response)) { await (await caches.open(PAGES)).put(KEPT_PAGES[0], response); }
  } catch (error) { /* offline while installing: kept on the next visit */ }
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL))
    .then(keepStartPage).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((name) => name.startsWith("routinie-shell-") && name !== CACHE).map((name) => caches.delete(name))
  )).then(() => self.clients.claim()));
});

// A page worth keeping: one of KEPT_PAGES, answered 200 as itself (not a redirect to sign-in).
function keepable(request, response) {
  const path = new URL(request.url).pathname;
  return KEPT_PAGES.includes(path) && response.ok && !response.redirected && response.type === "basic";
}

async function page(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (keepable(request, response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(PAGES).then((cache) => cache.put(new URL(request.url).pathname, copy)));
    } else if (response.redirected) {  // signed out meanwhile: the kept copy goes
      event.waitUntil(caches.open(PAGES).then((cache) => cache.delete(new URL(request.url).pathname)));
    }
    return response;
  } catch (error) {
    const kept = await caches.match(new URL(request.url).pathname, { cacheName: PAGES });
    if (kept) { return withoutMessages(kept); }
    return (await caches.match(OFFLINE_PAGE, { cacheName: CACHE })) || Response.error();
  }
}

// A kept page shown again later: its one-time messages ("The timer is stopped at 14:30") were
// said when it was kept, not now, so they go.
async function withoutMessages(response) {
  const html = (await response.text()).replace(/<ul class="messages" role="status">[\s\S]*?<\/ul>/, "");
  return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function shellFile(request) {
  const kept = await caches.match(request, { cacheName: CACHE });
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) { return; }
  if (request.mode === "navigate") { event.respondWith(page(event)); return; }
  if (SHELL.includes(url.pathname)) { event.respondWith(shellFile(request)); }
});
