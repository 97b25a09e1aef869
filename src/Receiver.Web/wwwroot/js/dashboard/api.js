// @ts-check
// Admin REST API calls: signed in by the receiver's cookie (POST /auth/sign-in), or with an API key remembered here.

/** @typedef {import('./messages.js').ReceiverInfo} ReceiverInfo */
/** @typedef {import('./messages.js').RecordingFile} RecordingFile */
/** @typedef {import('./messages.js').CaptureInfo} CaptureInfo */
const storageKey = 'airplay-receiver.apiKey';

export class UnauthorizedError extends Error {
  constructor() {
    super('The receiver needs an admin to sign in.');
    this.name = 'UnauthorizedError';
  }
}

/** The API key: from ?api_key= (remembered, then removed from the address bar) or from earlier visits. */
export function apiKey() {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('api_key');
  if (fromUrl) {
    setApiKey(fromUrl);
    url.searchParams.delete('api_key');
    history.replaceState(null, '', url);
  }
  return localStorage.getItem(storageKey) ?? '';
}

/** @param {string} key  the key to remember; empty to forget it */
export function setApiKey(key) {
  if (key) {
    localStorage.setItem(storageKey, key);
  } else {
    localStorage.removeItem(storageKey);
  }
}

/**
 * fetch() for /api paths: adds X-Api-Key, throws UnauthorizedError on 401 and Error on other failures.
 * @param {string} path
 * @param {RequestInit} [init]
 */
export async function apiFetch(path, init = {}) {
  const headers = new Headers(init.headers);
  const key = apiKey();
  if (key) {
    headers.set('X-Api-Key', key);
  }
  const response = await fetch(path, { ...init, headers, cache: 'no-store' });
  if (response.status === 401) {
    throw new UnauthorizedError();
  }
  return response;
}

/** @returns {Promise<ReceiverInfo>} */
export async function getReceiver() {
  const response = await apiFetch('/api/receiver');
  if (!response.ok) {
    throw new Error(`GET /api/receiver: ${response.status}`);
  }
  return response.json();
}

/** @param {string} id */
export async function disconnectSession(id) {
  const response = await apiFetch(`/api/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
  if (!response.ok && response.status !== 404) {
    throw new Error(`DELETE /api/sessions/${id}: ${response.status}`);
  }
}

/** The receiver would not start a recording: too many run, or its disk is at the free-space floor. */
export class RecordingRefusedError extends Error {
  /** @param {string} detail  the receiver's words */
  constructor(detail) {
    super(detail);
    this.name = 'RecordingRefusedError';
  }
}

/**
 * Starts recording a session; one already recorded is left as it is. Throws RecordingRefusedError with the
 * receiver's reason when a limit refuses it (409 too many recordings, 507 not enough free space).
 * @param {string} id
 */
export async function startRecording(id) {
  const response = await apiFetch(`/api/sessions/${encodeURIComponent(id)}/recording`, { method: 'POST' });
  if (response.ok) {
    return;
  }
  const problem = /** @type {{ title?: string, detail?: string } | null} */ (await response.json().catch(() => null));
  if (response.status === 409 && problem?.title === 'Already recording') {
    return;
  }
  if ((response.status === 409 || response.status === 507) && problem?.detail) {
    throw new RecordingRefusedError(problem.detail);
  }
  throw new Error(`POST /api/sessions/${id}/recording: ${response.status}`);
}

/** @param {string} id */
export async function stopRecording(id) {
  const response = await apiFetch(`/api/sessions/${encodeURIComponent(id)}/recording`, { method: 'DELETE' });
  if (!response.ok && response.status !== 404) {
    throw new Error(`DELETE /api/sessions/${id}/recording: ${response.status}`);
  }
}

/**
 * Starts the session's protocol capture (its packet headers from now on; its control exchange is kept from the start).
 * @param {string} id
 * @returns {Promise<CaptureInfo>}
 */
export async function startCapture(id) {
  const response = await apiFetch(`/api/sessions/${encodeURIComponent(id)}/capture`, { method: 'POST' });
  if (!response.ok) {
    throw new Error(`POST /api/sessions/${id}/capture: ${response.status}`);
  }
  return response.json();
}

/** Saves the session's protocol capture so far as a JSON file (a fetch, so that the API key goes with it). @param {string} id */
export async function downloadCapture(id) {
  const response = await apiFetch(`/api/sessions/${encodeURIComponent(id)}/capture`);
  if (!response.ok) {
    throw new Error(`GET /api/sessions/${id}/capture: ${response.status}`);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: `capture-${id}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The recorded files, newest first.
 * @returns {Promise<RecordingFile[]>}
 */
export async function listRecordings() {
  const response = await apiFetch('/api/recordings');
  if (!response.ok) {
    throw new Error(`GET /api/recordings: ${response.status}`);
  }
  return response.json();
}

/** Saves a recording through the browser (a fetch, so that the API key goes with it). @param {string} name */
export async function downloadRecording(name) {
  const response = await apiFetch(`/api/recordings/${encodeURIComponent(name)}`);
  if (!response.ok) {
    throw new Error(`GET /api/recordings/${name}: ${response.status}`);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** @param {string} name */
export async function deleteRecording(name) {
  const response = await apiFetch(`/api/recordings/${encodeURIComponent(name)}`, { method: 'DELETE' });
  if (!response.ok && response.status !== 404) {
    throw new Error(`DELETE /api/recordings/${name}: ${response.status}`);
  }
}

/**
 * The session's latest picture as a Blob, or null while it has none.
 * @param {string} id
 * @returns {Promise<Blob | null>}
 */
export async function getSnapshot(id) {
  const response = await apiFetch(`/api/sessions/${encodeURIComponent(id)}/snapshot.jpg`);
  return response.ok ? response.blob() : null;
}

/** @returns {Promise<import('./messages.js').TrustedSender[]>} */
export async function listSenders() {
  const response = await apiFetch('/api/senders');
  if (!response.ok) {
    throw new Error(`GET /api/senders: ${response.status}`);
  }
  return response.json();
}

/** @param {string} deviceId */
export async function revokeSender(deviceId) {
  const response = await apiFetch(`/api/senders/${encodeURIComponent(deviceId)}`, { method: 'DELETE' });
  if (!response.ok && response.status !== 404) {
    throw new Error(`DELETE /api/senders/${deviceId}: ${response.status}`);
  }
}

/** @returns {Promise<import('./messages.js').PendingSender[]>} */
export async function listPendingSenders() {
  const response = await apiFetch('/api/senders/pending');
  if (!response.ok) {
    throw new Error(`GET /api/senders/pending: ${response.status}`);
  }
  return response.json();
}

/**
 * @param {string} requestId
 * @param {'allow' | 'deny'} decision
 */
export async function decidePendingSender(requestId, decision) {
  const response = await apiFetch(`/api/senders/pending/${encodeURIComponent(requestId)}/${decision}`, { method: 'POST' });
  if (!response.ok && response.status !== 404) {
    throw new Error(`POST /api/senders/pending/${requestId}/${decision}: ${response.status}`);
  }
}

/**
 * The PIN shown now, or null.
 * @returns {Promise<import('./messages.js').PinOverlayMessage | null>}
 */
export async function getPin() {
  const response = await apiFetch('/api/access/pin');
  if (response.status === 404) {
    return null;
  }
  if (!response.ok) {
    throw new Error(`GET /api/access/pin: ${response.status}`);
  }
  return response.json();
}

/**
 * Signs in with the admin password, API key or generated token; the receiver answers with its sign-in cookie.
 * @param {string} secret
 * @returns {Promise<boolean>} whether the receiver accepted it
 */
export async function signIn(secret) {
  const response = await fetch('/auth/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ secret }),
    cache: 'no-store',
  });
  if (response.status === 429) {
    throw new Error('Too many failed sign-ins from this address: wait a minute.');
  }
  return response.ok;
}

/** Signs in with the token of a sign-in link (/?token=…) and removes it from the address bar. */
export async function signInFromLink() {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (!token) {
    return;
  }
  url.searchParams.delete('token');
  history.replaceState(null, '', url);
  await signIn(token);
}

/**
 * A new viewing link: for one session, or receiver-wide (a room display) when `id` is null.
 * @param {string | null} id
 * @param {number} [minutes]  how long it lasts (the receiver's default when absent)
 * @returns {Promise<import('./messages.js').ViewLink>}
 */
export async function createViewLink(id, minutes) {
  const path = id === null ? '/api/view-links' : `/api/sessions/${encodeURIComponent(id)}/view-links`;
  const response = await apiFetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(minutes ? { expiresInMinutes: minutes } : {}),
  });
  if (!response.ok) {
    throw new Error(`POST ${path}: ${response.status}`);
  }
  return response.json();
}

/** A QR code of `text` as an SVG picture. @param {string} text @returns {Promise<Blob>} */
export async function getQrCode(text) {
  const response = await apiFetch(`/api/qr.svg?text=${encodeURIComponent(text)}`);
  if (!response.ok) {
    throw new Error(`GET /api/qr.svg: ${response.status}`);
  }
  return response.blob();
}
