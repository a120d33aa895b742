/**
 * The offline app shell: the built app is cached at install, so a board URL opens with no network
 * at all (the board itself comes from IndexedDB). Pages are fetched network-first, so a new version
 * is picked up by the next load; hashed assets never change, so they are served from the cache.
 *
 * The build prepends `self.__MESHBOARD_PRECACHE__` (every file of the build) to this file; a new
 * build changes that list and therefore this file, which makes browsers install the new worker.
 */
declare const self: ServiceWorkerGlobalScope & { __MESHBOARD_PRECACHE__: string[]; __MESHBOARD_VERSION__: string }

const CACHE_PREFIX = 'meshboard-shell-'
const CACHE = `${CACHE_PREFIX}${self.__MESHBOARD_VERSION__}`
/** Past this, a slow network counts as none and the cached page is shown. */
const NAVIGATION_TIMEOUT_MS = 4000

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(self.__MESHBOARD_PRECACHE__))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== self.location.origin) return
  if (request.mode === 'navigate') event.respondWith(networkFirst(request, '/index.html'))
  else if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request))
  else if (self.__MESHBOARD_PRECACHE__.includes(url.pathname)) event.respondWith(networkFirst(request, url.pathname))
})

async function networkFirst(request: Request, cachedPath: string): Promise<Response> {
  const cache = await caches.open(CACHE)
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS)
    if (response.ok) await cache.put(cachedPath, response.clone())
    return response
  } catch (error) {
    const cached = await cache.match(cachedPath)
    if (cached) return cached
    throw error
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE)
  const cached = await cache.match(request)
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) await cache.put(request, response.clone())
  return response
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('network timeout')), ms)
    promise.then(resolve, reject).finally(() => clearTimeout(timer))
  })
}

// A module, so that the `self` declared above shadows the global one with the worker's real type.
export {}
