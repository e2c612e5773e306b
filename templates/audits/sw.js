/* Pilote QSE service worker (served by audits/views_offline.py at /sw.js, scope "/").
   Only the audit checklist works offline: its page (network first, the last copy kept), the
   static files it needs (precached under this version) and its photos. Everything else,
   the HTMX pages and the API included, goes to the network untouched. */
"use strict";
const VERSION = "{{ version }}";
const PRECACHE = "qse-precache-" + VERSION;
const PAGES = "qse-pages";
const PHOTOS = "qse-photos";
const ASSETS = {{ assets|safe }};
const CHECKLIST = /^\/audits\/\d+\/checklist\/$/;
const PHOTO = /^\/audits\/photos\/[0-9a-f-]+\/$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(PRECACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((name) => name.startsWith("qse-precache-") && name !== PRECACHE).map((name) => caches.delete(name))
  )).then(() => self.clients.claim()));
});

async function pageNetworkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    // A redirect (to the sign-in page) or an error is not the checklist: keep the last good copy.
    if (response.ok && !response.redirected) await cache.put(request.url, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request.url, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request, name) {
  const cache = await caches.open(name);
  const kept = await cache.match(request, { ignoreSearch: name === PRECACHE });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && name === PHOTOS) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (CHECKLIST.test(url.pathname)) {
    event.respondWith(pageNetworkFirst(request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, PRECACHE));
  } else if (PHOTO.test(url.pathname)) {
    event.respondWith(cacheFirst(request, PHOTOS));
  }
});

/* The page asks to keep its copy now ("Prepare for offline"). */
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-page" && CHECKLIST.test(new URL(data.url, self.location.origin).pathname)) {
    event.waitUntil(caches.open(PAGES).then((cache) => cache.add(data.url)).catch(() => null));
  }
});
