/* Citizen Portal service worker, served at /sw.js by citizen_portal/core/views_pwa.py, which
 * puts `self.PORTAL = {...}` (core/pwa.py) in front of this file.
 *
 * 1. The shell (offline pages, stylesheets, scripts, icons) is precached in a cache named
 *    after the version, and served from there first; an update drops the old one. Its fonts
 *    join it the first time a page uses them (an English reader never downloads Urdu faces).
 * 2. Pages: always the network first. A citizen's own pages (their list, each complaint they
 *    opened, the lodge form, home) are kept as they arrive, under the account's opaque tag,
 *    and shown with a "this is the copy from …" banner when the network fails. Only pages
 *    whose pwa-config says `store` are kept: never a staff page, the API, or a login page.
 * 3. A lodge form sent without a network is kept in IndexedDB with its idempotency key and
 *    sent later (Background Sync, or when a page says it is online), one at a time; the
 *    server lodges one complaint per key, however often a draft is sent.
 * 4. Logging out, or another account signing in, forgets the pages and drafts kept.
 */
'use strict';

const P = self.PORTAL;
const SHELL = 'portal-shell-' + P.version;
const PAGES = 'portal-pages';
const STORED_AT = 'x-portal-stored-at';
const OWNER = 'x-portal-user';
const SYNC_TAG = 'portal-drafts';
const SENT_KEPT_MS = 3 * 24 * 3600 * 1000;

// --- IndexedDB: `drafts` by idempotency key, and `meta` (the current account, language) ---

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('portal-pwa', 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('drafts', { keyPath: 'key' });
      request.result.createObjectStore('meta');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function idb(store, mode, operation) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(store, mode);
    const request = operation(transaction.objectStore(store));
    transaction.oncomplete = () => { db.close(); resolve(request ? request.result : undefined); };
    transaction.onerror = transaction.onabort = () => { db.close(); reject(transaction.error); };
  });
}

const getMeta = (name) => idb('meta', 'readonly', (s) => s.get(name));
const setMeta = (name, value) => idb('meta', 'readwrite', (s) => s.put(value, name));
const allDrafts = () => idb('drafts', 'readonly', (s) => s.getAll());
const getDraft = (key) => idb('drafts', 'readonly', (s) => s.get(key));
const putDraft = (draft) => idb('drafts', 'readwrite', (s) => s.put(draft));
const deleteDraft = (key) => idb('drafts', 'readwrite', (s) => s.delete(key));

// Changes whenever the account's data is forgotten (logout, another account, or the browser
// clearing site data). A page fetched before that and answered after must not be kept.
async function epoch() {
  let value = await getMeta('epoch');
  if (!value) {
    value = newKey();
    await setMeta('epoch', value);
  }
  return value;
}

// --- Install and activate ---------------------------------------------------------------

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    // `no-cache`: revalidate with the server rather than trust the HTTP cache.
    await cache.addAll(P.precache.map((url) => new Request(url, { cache: 'no-cache' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('portal-shell-') && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// --- Requests ----------------------------------------------------------------------------

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST') {
    if (url.pathname === P.logout) {
      // Not answered here: the browser sends it and applies the response's Clear-Site-Data.
      event.waitUntil(forgetAccount());
    } else if (request.mode === 'navigate' && P.queue.includes(url.pathname)) {
      event.respondWith(submitOrKeep(request));
    }
    return;
  }
  if (request.method !== 'GET') return;
  if (url.pathname.startsWith(P.staticPrefix)) {
    event.respondWith(shellFirst(request, url));
  } else if (request.mode === 'navigate') {
    event.respondWith(networkFirst(event));
  }
});

async function shellFirst(request, url) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(request);
  if (hit) return hit;
  try {
    const response = await fetch(request);
    if (response.ok && P.onDemand.includes(url.pathname)) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    // A stored page may name an older (hashed) copy of a shell file: give today's.
    const current = P.logical[url.pathname.replace(/\.[0-9a-f]{12}(\.[A-Za-z0-9]+)$/, '$1')];
    const fallback = current && (await cache.match(current));
    if (fallback) return fallback;
    throw error;
  }
}

async function networkFirst(event) {
  const request = event.request;
  // Without IndexedDB (some private windows) pages are simply not kept.
  const since = await epoch().catch(() => null);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return (await storedCopy(request.url).catch(() => null)) || offlinePage();
  }
  if (since) event.waitUntil(keep(request.url, response.clone(), since).catch(() => {}));
  return response;
}

// The account's stored copy of a page, or of the page that stands in for it offline.
async function storedCopy(url) {
  const user = await getMeta('user');
  if (!user) return null;
  const pages = await caches.open(PAGES);
  const path = new URL(url).pathname;
  const standIn = P.standIns.find(([prefix]) => path.startsWith(prefix));
  const candidates = standIn ? [url, new URL(standIn[1], url).href] : [url];
  for (const candidate of candidates) {
    const stored = await pages.match(candidate);
    if (stored && stored.headers.get(OWNER) === user) return markedAsCopy(stored);
  }
  return null;
}

function pageConfig(html) {
  const found = /<script id="pwa-config" type="application\/json">([^<]*)<\/script>/.exec(html);
  try {
    return found ? JSON.parse(found[1]) : null;
  } catch (error) {
    return null;
  }
}

// Keep a page for reading offline if the page itself says it may be kept (pwa-config.store).
// `since`: the epoch when the request was sent.
async function keep(url, response, since) {
  if (response.status !== 200 || response.type !== 'basic') return;
  if (!(response.headers.get('content-type') || '').startsWith('text/html')) return;
  if (/no-store/.test(response.headers.get('cache-control') || '')) return;
  const html = await response.text();
  const config = pageConfig(html);
  if (!config || config.shared || (await epoch()) !== since) return;
  if (config.lang) await setMeta('lang', config.lang);
  // Another account's first page: the previous one's data goes, and this page may stay.
  if (await noteAccount(config.user)) since = await epoch();
  if (!config.store || !config.user || (await epoch()) !== since) return;
  const headers = storedHeaders(response.headers);
  headers.set(STORED_AT, new Date().toISOString());
  headers.set(OWNER, config.user);
  const pages = await caches.open(PAGES);
  await pages.put(url, new Response(html, { status: 200, headers }));
  if ((await epoch()) !== since) {
    await pages.delete(url); // forgotten while it was being stored
    return;
  }
  await warm(config.user);
}

// Another account signing in on this browser: forget what the previous one left here. A page
// seen signed out changes nothing (the citizen may only have been timed out).
async function noteAccount(user) {
  if (!user) return false;
  const previous = await getMeta('user');
  if (previous === user) return false;
  if (previous) await forgetAccount();
  await setMeta('user', user);
  return Boolean(previous);
}

// Once per account and version, fetch the list and the offline lodge form, so that both work
// offline even if the citizen has not opened them on this device yet.
async function warm(user) {
  const mark = user + ' ' + P.version;
  if ((await getMeta('warmed')) === mark) return;
  await setMeta('warmed', mark);
  for (const path of P.warm) {
    try {
      const since = await epoch();
      const response = await fetch(path, { credentials: 'same-origin' });
      if (!response.redirected) await keep(response.url, response, since);
    } catch (error) {
      return;
    }
  }
}

// The body is re-made from text: its length and encoding are no longer the network's.
function storedHeaders(original) {
  const headers = new Headers(original);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return headers;
}

async function markedAsCopy(stored) {
  const html = await stored.text();
  const at = (stored.headers.get(STORED_AT) || '').replace(/[^0-9TZ:.+-]/g, '');
  const headers = storedHeaders(stored.headers);
  return new Response(html.replace('<html', '<html data-offline-copy="' + at + '"'), {
    status: 200,
    headers,
  });
}

async function offlinePage() {
  const language = (await getMeta('lang').catch(() => null)) || P.defaultLanguage;
  const cache = await caches.open(SHELL);
  const page = await cache.match(P.offline[language] || P.offline[P.defaultLanguage]);
  return page || new Response('Offline', { status: 503, headers: { 'content-type': 'text/plain' } });
}

// --- Drafts ------------------------------------------------------------------------------

function newKey() {
  return self.crypto.randomUUID();
}

// A lodge form: sent now if the network answers, else kept and sent later.
async function submitOrKeep(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const form = await copy.formData();
    const user = await getMeta('user');
    let key = String(form.get('idempotency_key') || '');
    if (!key || !user) return offlinePage();
    const earlier = await getDraft(key);
    // The same form sent again after its first sending went through: another complaint.
    if (earlier && earlier.status === 'sent') key = newKey();
    const fields = [];
    for (const [name, value] of form.entries()) {
      if (value instanceof File && !value.size && !value.name) continue; // no file chosen
      fields.push([name, name === 'idempotency_key' ? key : value]);
    }
    await putDraft({
      key,
      owner: user,
      action: new URL(request.url).pathname,
      fields,
      subject: String(form.get('subject') || ''),
      description: String(form.get('description') || ''),
      status: 'waiting',
      written: new Date().toISOString(),
    });
    if (self.registration.sync) {
      await self.registration.sync.register(SYNC_TAG).catch(() => {});
    }
    await announce();
    return Response.redirect(P.list, 303);
  }
}

// One sending at a time in this worker: each request to send waits for the one before (which
// may have used a stale CSRF token that this one's page replaces). A draft left "sending" by a
// worker that stopped is sent again, which is safe: the server answers a known key with the
// complaint it lodged.
let sending = Promise.resolve();
function sendDrafts(fresh) {
  const run = sending.catch(() => {}).then(() => sendAll(fresh || {}));
  sending = run;
  return run;
}

async function sendAll(fresh) {
  const user = await getMeta('user');
  for (const draft of await allDrafts()) {
    if (draft.owner !== user || !['waiting', 'sending'].includes(draft.status)) continue;
    const body = new FormData();
    for (const [name, value] of draft.fields) {
      // The page's token is the current one; the stored one dies when the account signs in
      // again.
      const token = name === 'csrfmiddlewaretoken' && fresh.csrf && fresh.user === user;
      body.append(name, token ? fresh.csrf : value);
    }
    draft.status = 'sending';
    await putDraft(draft);
    await announce();
    let response;
    const since = await epoch();
    try {
      response = await fetch(draft.action, { method: 'POST', body, credentials: 'same-origin' });
    } catch (error) {
      draft.status = 'waiting';
      await putDraft(draft);
      await announce();
      throw error; // still offline: Background Sync tries again later
    }
    await settle(draft, response, since);
    await putDraft(draft);
    await announce();
  }
}

async function settle(draft, response, since) {
  const landed = new URL(response.url);
  const lodged = new RegExp(P.detailPattern).exec(landed.pathname);
  draft.problem = '';
  if (response.ok && response.redirected && lodged) {
    draft.status = 'sent';
    draft.reference = decodeURIComponent(lodged[1]);
    draft.sent = new Date().toISOString();
    draft.fields = []; // lodged: the server has it, this device need not keep it
    await keep(response.url, response, since).catch(() => {});
  } else if (landed.pathname === P.loginPath || response.status === 403) {
    draft.status = 'waiting';
    draft.problem = 'login';
  } else if (response.status >= 500 || response.status === 429) {
    draft.status = 'waiting';
  } else {
    draft.status = 'failed';
    draft.problem = errorsIn(await response.text());
  }
}

// The form's error summary, as text (form_errors.html).
function errorsIn(html) {
  const summary = /<div class="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(html);
  if (!summary) return '';
  const items = summary[1].match(/<li>[\s\S]*?<\/li>/g) || [];
  return items
    .map((item) => item.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim())
    .map((text) => text.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'))
    .join(' ');
}

// The drafts a page may show: the current account's, without their files.
async function draftsFor(pageUser) {
  const user = await getMeta('user');
  if (!user || (pageUser !== null && pageUser !== undefined && pageUser !== user)) return [];
  const now = Date.now();
  const shown = [];
  for (const draft of await allDrafts()) {
    if (draft.owner !== user) continue;
    if (draft.status === 'sent' && now - Date.parse(draft.sent) > SENT_KEPT_MS) {
      await deleteDraft(draft.key);
      continue;
    }
    const { key, status, subject, description, written, reference, problem } = draft;
    shown.push({ key, status, subject, description, written, reference, problem });
  }
  return shown.sort((a, b) => (a.written < b.written ? -1 : 1));
}

async function announce() {
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    client.postMessage({ type: 'drafts-changed' });
  }
}

async function forgetAccount() {
  await setMeta('epoch', newKey());
  await caches.delete(PAGES);
  await idb('drafts', 'readwrite', (s) => s.clear());
  await idb('meta', 'readwrite', (s) => { s.delete('user'); s.delete('warmed'); });
}

self.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(sendDrafts());
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  const reply = async () => {
    if (port) port.postMessage(await draftsFor(data.user));
  };
  let work;
  if (data.type === 'send') {
    work = sendDrafts(data).catch(() => {}).then(reply);
  } else if (data.type === 'remove') {
    work = getDraft(String(data.key)).then(async (draft) => {
      // Only what is finished (sent, or refused) may be removed: never a draft in flight.
      if (draft && ['sent', 'failed'].includes(draft.status)) await deleteDraft(draft.key);
    }).then(reply);
  } else {
    work = reply();
  }
  event.waitUntil(work);
});
