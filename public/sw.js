// Hromada's service worker: the app opens without a network, API reads fall back to what
// was saved, and submissions made without a network (or while the server is unavailable
// for a moment) wait in an outbox (IndexedDB) until they can be delivered, exactly once
// (each carries its Idempotency-Key).
//
// The precache list and the version below are written by scripts/precache.sh after every
// build (Trunk's post_build hook): the files of that build, nothing written by hand.
"use strict";

const VERSION = "dev";
const PRECACHE = [];

const SHELL = "hromada-shell-" + VERSION;
/** API reads, public and personal: emptied at every sign-in and sign-out. */
const API = "hromada-api";
const DB_NAME = "hromada";
const OUTBOX = "outbox";
const SYNC_TAG = "hromada-outbox";
/** How long a public list waits for the network before the saved copy is shown. */
const PUBLIC_WAIT_MS = 3000;
const API_PREFIX = "/api/v1/";

// ---------------------------------------------------------------------------------------
// Install, activate, update

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) =>
      cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("hromada-shell-") && name !== SHELL) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
      flush();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const msg = event.data || {};
  switch (msg.type) {
    case "skip-waiting":
      self.skipWaiting();
      break;
    case "flush":
      flush();
      break;
    case "list":
      announce();
      break;
    case "cancel":
      remove(msg.id).then(announce);
      break;
    case "forget":
      // The person signed out: nothing of theirs stays.
      caches.delete(API);
      break;
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) {
    event.waitUntil(flush());
  }
});

// ---------------------------------------------------------------------------------------
// Fetch

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith(API_PREFIX)) {
    const path = url.pathname.slice(API_PREFIX.length - 1);
    if (req.method === "GET") {
      // Live events stream past the worker.
      if (/^\/hromadas\/[^/]+\/events$/.test(path)) {
        return;
      }
      event.respondWith(apiRead(event, req, path));
    } else if (path === "/auth/login" || path === "/auth/logout" || path === "/auth/register") {
      event.respondWith(signInOrOut(req));
    } else if (queueable(req, path)) {
      event.respondWith(sendOrQueue(req, path));
    }
    return;
  }
  if (req.method !== "GET") {
    return;
  }
  if (req.mode === "navigate") {
    event.respondWith(shell(req));
    return;
  }
  if (url.pathname === "/config.json") {
    // Where the backend is may change without a new build: the network first.
    event.respondWith(
      fetch(req).catch(() => caches.match(url.pathname, { cacheName: SHELL })),
    );
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(
      caches.match(url.pathname, { cacheName: SHELL }).then((hit) => hit || fetch(req)),
    );
  }
});

/** Every page of the app is `index.html`: the saved one, or the network's when none is. */
async function shell(req) {
  const saved = await caches.match("/index.html", { cacheName: SHELL });
  if (saved) {
    return saved;
  }
  return fetch(req);
}

/** Public reads: lists and pages anyone may see. */
function isPublic(path) {
  return (
    /^\/hromadas(\/[^/]+(\/(news|alerts|petitions|polls|services|answers|centre|budget-cycles|appeals))?)?$/.test(
      path,
    ) ||
    /^\/hromadas\/[^/]+\/services\/search$/.test(path) ||
    /^\/(news|petitions|polls|services|answers|budget-cycles|budget-projects)\/[^/]+$/.test(path) ||
    /^\/petitions\/[^/]+\/signatures$/.test(path) ||
    /^\/budget-cycles\/[^/]+\/(projects|results)$/.test(path) ||
    /^\/polls\/[^/]+\/results$/.test(path)
  );
}

/** A response as it is kept: the time it was saved travels with it. */
async function keep(req, res) {
  const type = res.headers.get("content-type") || "";
  if (res.status !== 200 || type.startsWith("text/event-stream") || type.startsWith("text/csv")) {
    return;
  }
  const headers = new Headers(res.headers);
  headers.set("x-hromada-saved-at", new Date().toISOString());
  const body = await res.blob();
  const cache = await caches.open(API);
  await cache.put(req, new Response(body, { status: res.status, statusText: res.statusText, headers }));
}

/** The saved copy of a read, marked as such; `null` when there is none. */
async function saved(req) {
  const cache = await caches.open(API);
  const hit = await cache.match(req);
  if (!hit) {
    return null;
  }
  const headers = new Headers(hit.headers);
  headers.set("x-hromada-from-cache", "1");
  return new Response(await hit.blob(), { status: hit.status, statusText: hit.statusText, headers });
}

/**
 * API reads. The network first; its answer is kept. Without a network (or when the
 * server fails), the last saved answer, marked with the time it was saved. A public list
 * that keeps a weak network waiting for more than PUBLIC_WAIT_MS is answered from what
 * was saved at once, while the network's answer still refreshes the saved copy.
 */
async function apiRead(event, req, path) {
  const fresh = fetch(req.clone()).then(async (res) => {
    if (res.status === 401 && path === "/me") {
      // The session ended: nothing personal stays.
      await caches.delete(API);
    } else if (res.ok) {
      await keep(req, res.clone());
      if (outboxWaiting) {
        flush();
      }
    }
    return res;
  });
  // The saved copy may be answered first: the worker stays until the network's answer is kept.
  event.waitUntil(fresh.catch(() => null));
  if (isPublic(path)) {
    const timeout = new Promise((resolve) => setTimeout(resolve, PUBLIC_WAIT_MS, null));
    const first = await Promise.race([fresh.catch(() => null), timeout]);
    if (first && first.status < 500) {
      return first;
    }
    const copy = await saved(req);
    if (copy) {
      return copy;
    }
  }
  try {
    const res = await fresh;
    if (res.status >= 500) {
      return (await saved(req)) || res;
    }
    return res;
  } catch (e) {
    const copy = await saved(req);
    if (copy) {
      return copy;
    }
    throw e;
  }
}

/** Sign-in, sign-up and sign-out change whose data the saved reads are: they are dropped. */
async function signInOrOut(req) {
  const res = await fetch(req);
  if (res.ok) {
    await caches.delete(API);
  }
  return res;
}

// ---------------------------------------------------------------------------------------
// The outbox

/** What waits in the outbox: submissions that create something once. */
const KINDS = [
  ["POST", /^\/hromadas\/[^/]+\/appeals$/, "appeal"],
  ["POST", /^\/petitions\/[^/]+\/signatures$/, "signature"],
  ["PUT", /^\/budget-cycles\/[^/]+\/ballot$/, "ballot"],
  ["POST", /^\/polls\/[^/]+\/responses$/, "poll_answer"],
  ["POST", /^\/hromadas\/[^/]+\/consultations$/, "consultation"],
  ["POST", /^\/consultations\/[^/]+\/messages$/, "message"],
];

function kindOf(method, path) {
  const k = KINDS.find(([m, re]) => m === method && re.test(path));
  return k ? k[2] : null;
}

function queueable(req, path) {
  const kind = kindOf(req.method, path);
  // A ballot replaces the person's earlier one; everything else needs its key.
  return kind !== null && (kind === "ballot" || req.headers.has("idempotency-key"));
}

let outboxWaiting = false;

function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore(OUTBOX, { keyPath: "id" });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function store(mode, work) {
  const conn = await db();
  try {
    return await new Promise((resolve, reject) => {
      const tx = conn.transaction(OUTBOX, mode);
      let out;
      Promise.resolve(work(tx.objectStore(OUTBOX))).then((v) => {
        out = v;
      });
      tx.oncomplete = () => resolve(out);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    conn.close();
  }
}

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function all() {
  const items = await store("readonly", (s) => request(s.getAll()));
  items.sort((a, b) => a.seq - b.seq);
  outboxWaiting = items.some((i) => i.state === "queued");
  return items;
}

async function put(item) {
  await store("readwrite", (s) => request(s.put(item)));
}

async function remove(id) {
  await store("readwrite", (s) => request(s.delete(id)));
}

/** Tells every open page what the outbox holds, without the bodies. */
async function announce(extra) {
  const items = (await all()).map(({ body, headers, ...rest }) => rest);
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) {
    client.postMessage({ type: "outbox", items, ...(extra || {}) });
  }
}

const KEPT_HEADERS = ["content-type", "idempotency-key", "x-hromada-client", "accept", "x-hromada-label"];

/** The server cannot take anything for a moment (its database is away, say): worth
 * keeping a submission for later, since its key makes a second delivery harmless. */
function unavailable(status) {
  return status === 502 || status === 503 || status === 504;
}

/**
 * Sends a submission; when the network fails, or the server answers that it is
 * unavailable for a moment, keeps it in the outbox and says so (202).
 */
async function sendOrQueue(req, path) {
  const body = await req.clone().arrayBuffer();
  const headers = KEPT_HEADERS.filter((h) => req.headers.has(h)).map((h) => [h, req.headers.get(h)]);
  let res;
  try {
    res = await fetch(req);
  } catch (e) {
    return enqueue(req, path, headers, body);
  }
  if (unavailable(res.status)) {
    return enqueue(req, path, headers, body);
  }
  if (outboxWaiting) {
    flush();
  }
  return res;
}

/** Keeps a submission in the outbox (once per key) and answers the page with 202. */
async function enqueue(req, path, headers, body) {
  const key = req.headers.get("idempotency-key");
  const items = await all();
  // The same submission again (the same key): it is already waiting.
  const known = key && items.find((i) => i.key === key && i.url === req.url);
  const item = known || {
    id: "q-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10),
    seq: Date.now() + Math.random(),
    kind: kindOf(req.method, path),
    url: req.url,
    method: req.method,
    headers,
    key,
    body,
    label: decodeLabel(req.headers.get("x-hromada-label")),
    created_at: new Date().toISOString(),
    state: "queued",
    attempts: 0,
    problem: null,
  };
  if (!known) {
    await put(item);
  }
  outboxWaiting = true;
  if (self.registration.sync) {
    self.registration.sync.register(SYNC_TAG).catch(() => {});
  }
  retryLater(item.attempts);
  announce();
  return new Response(JSON.stringify({ queued: item.id }), {
    status: 202,
    headers: { "content-type": "application/json", "x-hromada-queued": item.id },
  });
}

function decodeLabel(v) {
  if (!v) {
    return "";
  }
  try {
    return decodeURIComponent(v);
  } catch (e) {
    return "";
  }
}

let flushing = null;
let retry = null;

/** Tries again after 2, 4, 8… up to 60 seconds while the worker runs; the next start,
 * the `online` event and Background Sync try too. */
function retryLater(attempts) {
  if (retry) {
    return;
  }
  const wait = Math.min(60000, 1000 * 2 ** Math.min(attempts, 6));
  retry = setTimeout(() => {
    retry = null;
    flush();
  }, wait);
}

/** Delivers what waits, oldest first; stops at the first that cannot get through now. */
function flush() {
  if (!flushing) {
    flushing = deliver().finally(() => {
      flushing = null;
    });
  }
  return flushing;
}

async function deliver() {
  for (const item of await all()) {
    if (item.state !== "queued") {
      continue;
    }
    item.state = "sending";
    item.attempts += 1;
    await put(item);
    await announce();
    let res;
    try {
      res = await fetch(item.url, {
        method: item.method,
        headers: item.headers,
        body: item.body,
        credentials: "same-origin",
      });
    } catch (e) {
      item.state = "queued";
      await put(item);
      await announce();
      retryLater(item.attempts);
      return;
    }
    if (res.ok) {
      await remove(item.id);
      let response = null;
      try {
        response = await res.json();
      } catch (e) {
        response = null;
      }
      const { body, headers, ...rest } = item;
      await announce({ delivered: { ...rest, status: res.status, response } });
      continue;
    }
    if (res.status === 408 || res.status === 429 || res.status >= 500) {
      // Not now: try again later.
      item.state = "queued";
      await put(item);
      await announce();
      retryLater(item.attempts);
      return;
    }
    // Refused: kept with the reason until the person dismisses it.
    let problem = null;
    try {
      problem = await res.json();
    } catch (e) {
      problem = { status: res.status, title: res.statusText };
    }
    item.state = "refused";
    item.problem = problem;
    await put(item);
    await announce();
  }
}
