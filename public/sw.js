// Hromada's service worker: the app opens without a network, API reads fall back to what
// was saved, and submissions made without a network (or while the server is unavailable
// for a moment) wait in an outbox (IndexedDB) until they can be delivered, exactly once
// (each carries its Idempotency-Key). It also shows pushed notifications (urgent alerts,
// the person's notifications), opens their page on a tap, and subscribes again when the
// browser changes the push subscription.
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
    case "push-state":
      // What this device gets by push, to subscribe again by itself (see below); the
      // server's key is kept when the app does not say it again.
      event.waitUntil(
        pushState().then((old) => {
          const next = msg.state || {};
          return savePushState({ ...next, key: next.key || old.key || null });
        }),
      );
      break;
    case "notification-click":
      // A tap on a shown notification, as the page asks (the same as the person's tap).
      event.waitUntil(clickNotification(msg.tag));
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

// ---------------------------------------------------------------------------------------
// Push: urgent alerts and the person's notifications, when the app is closed

/** Where the app's account of what this device gets by push is kept. */
const PUSH_STATE = "hromada-push";
const PUSH_STATE_URL = "/__hromada/push-state";
const ICON = "/icons/icon-192.png";
/** The title of a push whose payload cannot be read. */
const FALLBACK_TITLE = { uk: "Громада", en: "Hromada" };
const FALLBACK_BODY = {
  uk: "Нове сповіщення. Відкрийте застосунок, щоб переглянути.",
  en: "A new notification. Open the app to read it.",
};

/**
 * `{api_base, key, alerts: [{katottg, info}], personal, language}`, as the app last told
 * it; `{}` when it never did.
 */
async function pushState() {
  try {
    const cache = await caches.open(PUSH_STATE);
    const hit = await cache.match(PUSH_STATE_URL);
    return hit ? await hit.json() : {};
  } catch (e) {
    return {};
  }
}

async function savePushState(state) {
  const cache = await caches.open(PUSH_STATE);
  await cache.put(
    PUSH_STATE_URL,
    new Response(JSON.stringify(state), { headers: { "content-type": "application/json" } }),
  );
}

/** A path of this app (`/appeals/…`): anything else, another site included, is `/`. */
function ownPath(url) {
  if (typeof url !== "string" || url === "") {
    return "/";
  }
  try {
    const u = new URL(url, self.location.origin);
    if (u.origin !== self.location.origin) {
      return "/";
    }
    return u.pathname + u.search + u.hash;
  } catch (e) {
    return "/";
  }
}

/** What a push says: its JSON payload `{title, body, url, tag}`, or a plain fallback. */
function readPush(data, language) {
  const lang = language === "en" ? "en" : "uk";
  let payload = null;
  let text = "";
  if (data) {
    try {
      payload = data.json();
    } catch (e) {
      try {
        text = data.text();
      } catch (e2) {
        text = "";
      }
    }
  }
  if (!payload || typeof payload !== "object") {
    payload = {};
  }
  const str = (v) => (typeof v === "string" ? v.trim() : "");
  const title = str(payload.title) || FALLBACK_TITLE[lang];
  const body = str(payload.body) || (str(payload.title) ? "" : text.trim().slice(0, 300) || FALLBACK_BODY[lang]);
  return { title, body, url: ownPath(payload.url), tag: str(payload.tag) };
}

// A push always shows a notification (`userVisibleOnly`), whatever its payload.
self.addEventListener("push", (event) => {
  event.waitUntil(
    (async () => {
      const state = await pushState();
      const p = readPush(event.data, state.language);
      const options = { body: p.body, icon: ICON, badge: ICON, data: { url: p.url } };
      if (p.tag) {
        // A later push with the same tag replaces it; a retry shows nothing twice.
        options.tag = p.tag;
      }
      await self.registration.showNotification(p.title, options);
    })(),
  );
});

/** Opens the app at `url` (a path of this app): a window already there is focused, else
 * an open window of the app goes there, else a new one opens. (Focusing and opening are
 * allowed only in answer to a tap; each step that the browser refuses gives way to the
 * next.) */
async function openPage(url) {
  const target = new URL(ownPath(url), self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const here = windows.find((w) => w.url === target);
  if (here) {
    try {
      return await here.focus();
    } catch (e) {
      return here;
    }
  }
  for (const w of windows) {
    if ("navigate" in w) {
      try {
        const moved = await w.navigate(target);
        if (moved) {
          try {
            return await moved.focus();
          } catch (e) {
            return moved;
          }
        }
      } catch (e) {
        // Not controlled by this worker: a new window instead.
      }
    }
  }
  try {
    return await self.clients.openWindow(target);
  } catch (e) {
    return null;
  }
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openPage(event.notification.data && event.notification.data.url));
});

/** The same as a tap on the shown notification with this tag (the newest if none). */
async function clickNotification(tag) {
  const shown = await self.registration.getNotifications(tag ? { tag } : undefined);
  const n = shown[shown.length - 1];
  if (!n) {
    return;
  }
  n.close();
  await openPage(n.data && n.data.url);
}

/** The backend's base URL: config.json's `api_base` (as the app reads it), else the one
 * the app last told, else this origin. */
async function apiBase(state) {
  try {
    const res = await fetch("/config.json", { cache: "no-store" });
    if (res.ok) {
      const config = await res.json();
      if (typeof config.api_base === "string") {
        return config.api_base.replace(/\/+$/, "");
      }
    }
  } catch (e) {
    // Offline: what the app said.
  }
  return typeof state.api_base === "string" ? state.api_base.replace(/\/+$/, "") : "";
}

function urlSafe(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function keyBytes(b64) {
  const s = b64.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(s + "=".repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * The browser ended or replaced the subscription: subscribe again with the same key and
 * post the new one where the old one went (the person's devices, each hromada's alerts).
 */
async function resubscribe(event) {
  const state = await pushState();
  const base = await apiBase(state);
  let sub = event.newSubscription || null;
  if (!sub) {
    let key = null;
    const old = event.oldSubscription;
    if (old && old.options && old.options.applicationServerKey) {
      key = new Uint8Array(old.options.applicationServerKey);
    } else if (state.key) {
      key = keyBytes(state.key);
    } else {
      const res = await fetch(base + API_PREFIX + "push/key", {
        headers: { accept: "application/json" },
        credentials: "include",
      });
      key = keyBytes((await res.json()).public_key);
    }
    sub = await self.registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: key,
    });
    if (!state.key) {
      state.key = urlSafe(key);
    }
  }
  const json = sub.toJSON();
  const post = (path, extra) =>
    fetch(base + API_PREFIX + path, {
      method: "POST",
      credentials: "include",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "x-hromada-client": "web",
        "idempotency-key": "sw-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2),
      },
      body: JSON.stringify({ ...json, language: state.language || "uk", ...(extra || {}) }),
    }).catch(() => null);
  const posts = [];
  if (state.personal) {
    posts.push(post("me/push-subscriptions"));
  }
  for (const a of state.alerts || []) {
    posts.push(post("hromadas/" + encodeURIComponent(a.katottg) + "/alert-subscriptions", { info: !!a.info }));
  }
  await Promise.all(posts);
  await savePushState(state);
  // An open page keeps its own account by the new endpoint.
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) {
    client.postMessage({ type: "push-resubscribed", endpoint: json.endpoint });
  }
}

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(resubscribe(event));
});
