/* The guide's service worker (written to the site root by hooks/offline.py, which fills in
   VERSION and PRECACHE).  After one visit the guide works without a network:

   - on install it stores the practice and progress pages, the home pages, the question
     catalogs (with their short answers) and the assets they need, under a cache named after
     the build (VERSION);
   - pages are served network first, so a reader online always gets the latest version, and
     every page read online is kept for later; offline, the stored copy is served;
   - assets (scripts, styles, fonts, images) are served from the cache first;
   - a new deploy has a new VERSION: the new worker stores its files, takes over, and deletes
     every cache of the guide with another name, so nothing stale is left behind.

   Same origin only; requests to other hosts (there are none) are not touched. */
"use strict"

const VERSION = "{{VERSION}}"
const PREFIX = "nlp-guide-"
const CACHE = PREFIX + VERSION
const PRECACHE = {{PRECACHE}}

self.addEventListener("install", event => {
  event.waitUntil(
    caches.open(CACHE)
      .then(cache => cache.addAll(PRECACHE.map(path => new URL(path, self.registration.scope))))
      .then(() => self.skipWaiting())
  )
})

self.addEventListener("activate", event => {
  event.waitUntil(
    caches.keys()
      .then(names => Promise.all(names.filter(name => name.startsWith(PREFIX) && name !== CACHE)
                                      .map(name => caches.delete(name))))
      .then(() => self.clients.claim())
  )
})

function isPage(request) {
  return request.mode === "navigate" || (request.headers.get("accept") || "").includes("text/html")
}

function isData(url) {
  return url.pathname.endsWith(".json")
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE)
  try {
    const response = await fetch(request)
    if (response.ok) cache.put(request, response.clone())
    return response
  } catch (error) {
    const stored = await cache.match(request, { ignoreSearch: true })
    if (stored) return stored
    throw error
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE)
  const stored = await cache.match(request)
  if (stored) return stored
  const response = await fetch(request)
  if (response.ok) cache.put(request, response.clone())
  return response
}

self.addEventListener("fetch", event => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== "GET" || url.origin !== self.location.origin) return
  event.respondWith(isPage(request) || isData(url) ? networkFirst(request) : cacheFirst(request))
})
