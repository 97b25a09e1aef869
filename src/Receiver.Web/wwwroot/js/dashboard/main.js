// @ts-check
// The receiver dashboard: receiver info, and the live session list kept current by the sessions hub.
import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { AccessPanel } from './access-panel.js';
import { apiFetch, apiKey, getPin, getReceiver, setApiKey, signIn, signInFromLink, UnauthorizedError } from './api.js';
import { PinOverlay } from '../shared/pin-overlay.js';
import { RecordingList } from './recording-list.js';
import { SessionList } from './session-list.js';
import { ShareDialog } from './share-dialog.js';

/** @typedef {import('./messages.js').SessionSummary} SessionSummary */
/** @typedef {import('./messages.js').SessionStats} SessionStats */
/** @typedef {import('./messages.js').StreamStartedMessage} StreamStartedMessage */
/** @typedef {import('./messages.js').FormatChangedMessage} FormatChangedMessage */
/** @typedef {import('./messages.js').SenderNoticeMessage} SenderNoticeMessage */
/** @typedef {import('./messages.js').RecordingChangedMessage} RecordingChangedMessage */
/** @typedef {import('./messages.js').PendingSender} PendingSender */

/** The page's element with this id. @param {string} id */
const $ = id => {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`dashboard page without #${id}`);
  }
  return element;
};
const connection = $('connection');
const keyForm = $('api-key-form');

/** @param {string} state */
function showConnection(state) {
  connection.dataset.state = state;
  connection.textContent = state;
}

/** @param {unknown} error */
function handleError(error) {
  if (error instanceof UnauthorizedError || /401|Unauthorized/.test(messageOf(error))) {
    keyForm.hidden = false;
    showConnection('disconnected');
    return;
  }
  console.error(error);
}

/** The message of a thrown value, as the hub's errors carry the HTTP status there. @param {unknown} error */
function messageOf(error) {
  return String(/** @type {{ message?: unknown } | null | undefined} */ (error)?.message);
}

keyForm.addEventListener('submit', async event => {
  event.preventDefault();
  const error = $('sign-in-error');
  try {
    if (await signIn(/** @type {HTMLInputElement} */ ($('api-key')).value.trim())) {
      // The cookie signs the page in from now on; a key remembered from earlier versions is no longer needed.
      setApiKey('');
      location.reload();
      return;
    }
    error.textContent = 'Wrong password or key.';
  } catch (failure) {
    error.textContent = messageOf(failure);
  }
  error.hidden = false;
});

const share = new ShareDialog(/** @type {HTMLDialogElement} */ ($('share-dialog')), error => handleError(error));
$('share-receiver').addEventListener('click', () => share.share(null));
$('revoke-links').addEventListener('click', async () => {
  if (confirm('Revoke every viewing link made so far? Screens and people watching through them are refused from now on.')) {
    await apiFetch('/api/view-links', { method: 'DELETE' }).catch(handleError);
  }
});

const sessions = new SessionList({
  list: $('sessions'),
  empty: $('empty'),
  template: /** @type {HTMLTemplateElement} */ ($('session-row')),
  onError: handleError,
  onShare: id => share.share(id),
});

const recordings = new RecordingList({
  section: $('recordings'),
  list: $('recording-files'),
  onError: handleError,
});

const access = new AccessPanel({
  pending: $('pending'),
  pendingList: $('pending-senders'),
  pendingTemplate: /** @type {HTMLTemplateElement} */ ($('pending-row')),
  trusted: $('trusted'),
  trustedList: $('trusted-senders'),
  trustedTemplate: /** @type {HTMLTemplateElement} */ ($('trusted-row')),
  refused: $('refused'),
  onError: handleError,
});

const pin = new PinOverlay($('pin-overlay'));

/** Reads what may have changed while the hub was away: the PIN, pending and trusted senders. */
async function refreshAccess() {
  try {
    const current = await getPin();
    if (current) {
      pin.show(current);
    } else {
      pin.clear();
    }
  } catch (error) {
    handleError(error);
  }
  await access.refresh();
}

async function showReceiver() {
  const receiver = await getReceiver();
  document.title = `${receiver.name} — AirPlay Web Receiver`;
  $('receiver-name').textContent = receiver.name;
  $('empty-name').textContent = receiver.name;
  $('receiver-details').textContent =
    `${receiver.deviceId} · control port ${receiver.controlPort} · mirror port ${receiver.mirrorPort} · features ${receiver.features} · access ${receiver.access.mode} · v${receiver.version}`;
  showHttps(receiver.https);
}

/**
 * The HTTPS address and the certificate's fingerprint, to compare with what a browser shows before trusting it.
 * @param {import('./messages.js').HttpsInfo | null} https
 */
function showHttps(https) {
  const line = $('receiver-https');
  line.hidden = !https;
  if (!https) {
    return;
  }
  const url = /** @type {HTMLAnchorElement} */ (line.querySelector('[data-role=url]'));
  url.href = https.url;
  url.textContent = https.url;
  /** @type {HTMLElement} */ (line.querySelector('[data-role=fingerprint]')).textContent = https.fingerprint;
  /** @type {HTMLElement} */ (line.querySelector('[data-role=validity]')).textContent =
    `(${https.selfSigned ? 'self-signed, ' : ''}valid until ${https.notAfter.slice(0, 10)})`;
}

/**
 * Janus's state on the receiver line: reachable, unreachable (viewers play over the WebSocket), or nothing when off.
 * @param {import('./messages.js').WebRtcStatus} status
 */
function showWebRtc(status) {
  const line = $('receiver-webrtc');
  line.dataset.janus = status.janus;
  line.hidden = status.janus === 'off';
  /** @type {HTMLElement} */ (line.querySelector('[data-role=janus]')).textContent =
    status.janus === 'reachable' ? 'Janus reachable' : 'Janus unreachable (viewers play over the WebSocket)';
  /** @type {HTMLElement} */ (line.querySelector('[data-role=viewers]')).textContent =
    status.janus === 'off' ? '' : `· ${status.viewers} WebRTC ${status.viewers === 1 ? 'viewer' : 'viewers'}`;
  sessions.webrtc(status);
}

function connectHub() {
  const key = apiKey();
  const hub = new HubConnectionBuilder()
    .withUrl('/hubs/sessions', key ? { accessTokenFactory: () => key } : {})
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: context => Math.min(10000, 500 * 2 ** context.previousRetryCount) })
    .configureLogging(LogLevel.Warning)
    .build();

  hub.on('Snapshot', (/** @type {SessionSummary[]} */ list) => {
    sessions.reset(list);
    recordings.refresh();
  });
  hub.on('SessionStarted', (/** @type {SessionSummary} */ session) => sessions.upsert(session));
  hub.on('StreamStarted', (/** @type {StreamStartedMessage} */ message) => sessions.stream(message));
  hub.on('FormatChanged', (/** @type {FormatChangedMessage} */ message) => sessions.format(message));
  hub.on('VolumeChanged', () => {});
  hub.on('StreamEnded', () => {});
  hub.on('SessionStats', (/** @type {SessionStats} */ stats) => {
    sessions.stats(stats);
    // A recording's file appears once its first keyframe is written, after RecordingChanged, and then grows:
    // read the list again with each stats message (about once a second) while the session is recorded.
    if (sessions.isRecording(stats.sessionId)) {
      recordings.refresh();
    }
  });
  hub.on('RecordingChanged', (/** @type {RecordingChangedMessage} */ message) => {
    sessions.recording(message);
    recordings.refresh();
  });
  hub.on('CastStarted', (/** @type {import('./messages.js').CastMessage} */ message) => sessions.cast(message));
  hub.on('CastStateChanged', (/** @type {import('./messages.js').CastMessage} */ message) => sessions.cast(message));
  hub.on('SessionEnded', (/** @type {string} */ id) => sessions.remove(id));
  hub.on('WebRtcChanged', (/** @type {import('./messages.js').WebRtcStatus} */ status) => showWebRtc(status));
  hub.on('PinRequested', (/** @type {string} */ deviceName, /** @type {string} */ digits, /** @type {string} */ expiresAt) =>
    pin.show({ pin: digits, deviceName, expiresAt }));
  hub.on('PinCleared', () => pin.clear());
  hub.on('SenderApprovalRequested', (/** @type {string} */ requestId, /** @type {string} */ deviceId, /** @type {string | null} */ name, /** @type {string | null} */ model) =>
    access.addPending(/** @type {PendingSender} */ ({ requestId, deviceId, name, model, address: '', requestedAt: new Date().toISOString() })));
  hub.on('SenderApprovalResolved', (/** @type {string} */ requestId) => access.removePending(requestId));
  hub.on('SenderRefused', (/** @type {string | null} */ deviceId, /** @type {string | null} */ name, /** @type {string} */ reason) =>
    access.refused(deviceId, name, reason));
  hub.on('SenderNotice', (/** @type {SenderNoticeMessage} */ notice) => access.noticed(notice.deviceId, notice.detail));
  hub.on('SendersChanged', () => access.refreshSenders());
  hub.onreconnecting(() => showConnection('reconnecting'));
  hub.onreconnected(() => {
    showConnection('connected');
    refreshAccess();
  });
  hub.onclose(() => showConnection('disconnected'));

  const start = async () => {
    try {
      await hub.start();
      showConnection('connected');
      await refreshAccess();
    } catch (error) {
      handleError(error);
      if (!(error instanceof UnauthorizedError) && !/401/.test(messageOf(error))) {
        showConnection('disconnected');
        setTimeout(start, 5000);
      }
    }
  };
  return start();
}

try {
  await signInFromLink();
  await showReceiver();
  await connectHub();
} catch (error) {
  handleError(error);
}
