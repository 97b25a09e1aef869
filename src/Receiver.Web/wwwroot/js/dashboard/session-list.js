// @ts-check
// The live session list: one row per session, updated from hub messages.
import { RecordingRefusedError, createViewLink, disconnectSession, downloadCapture, getSnapshot, startCapture, startRecording, stopRecording } from './api.js';
import { formatBitrate, formatBytes, formatFps, formatLatency, formatResolution, formatSince, formatViewers } from './format.js';

const thumbnailInterval = 3000;

/** @typedef {import('./messages.js').SessionSummary} SessionSummary */
/** @typedef {import('./messages.js').SessionStats} SessionStats */
/** @typedef {import('./messages.js').StreamStartedMessage} StreamStartedMessage */
/** @typedef {import('./messages.js').FormatChangedMessage} FormatChangedMessage */
/** @typedef {import('./messages.js').RecordingChangedMessage} RecordingChangedMessage */
/** @typedef {import('./messages.js').CastInfo} CastInfo */
/** @typedef {import('./messages.js').CastMessage} CastMessage */

/**
 * What a row shows: the session as last heard of.
 * @typedef {object} RowData
 * @property {string} id
 * @property {string | null} [senderName]
 * @property {string | null} [senderModel]
 * @property {string} [startedAt]
 * @property {string | null} [codec]
 * @property {number | null} [width]
 * @property {number | null} [height]
 * @property {number} [viewers]
 * @property {number} [fps]
 * @property {number} [bitrateBps]
 * @property {number | null} [latencyMs]
 * @property {boolean} [recording]
 * @property {string | null} [recordingNote]  why the last recording stopped by itself, until the next one starts
 * @property {boolean} [capturing] the protocol capture was started from this page: the button downloads it
 * @property {string} [kind]  'mirror' or 'video'
 * @property {CastInfo | null} [cast]  the cast video of a 'video' session
 * @property {import('./messages.js').WebRtcSessionStatus | null} [webrtc]  its WebRTC side, when the receiver has Janus
 */

/**
 * @typedef {object} Row
 * @property {string} id
 * @property {HTMLElement} element
 * @property {RowData} data
 * @property {string | null} thumbnailUrl
 * @property {boolean} loading
 */

/**
 * @param {ParentNode} parent
 * @param {string} selector
 */
function part(parent, selector) {
  const found = parent.querySelector(selector);
  if (!(found instanceof HTMLElement)) {
    throw new Error(`session row without ${selector}`);
  }
  return found;
}

/** Words for a recording that stopped by itself (a limit or a failed write); null for a stop someone asked for. */
const stopNotes = /** @type {Record<string, string>} */ ({
  'max-bytes': 'reached its size limit',
  'disk-full': 'the disk is full',
  'write-failed': 'a write failed',
});

/**
 * @param {string | null | undefined} reason
 * @param {number | undefined} bytes
 * @returns {string | null}
 */
export function stopNote(reason, bytes) {
  const why = reason ? stopNotes[reason] : undefined;
  return why ? `Recording stopped: ${why} (${formatBytes(bytes ?? 0)})` : null;
}

/**
 * A session's WebRTC side in words: "WebRTC up · 2 viewers" or "WebRTC: no stream in Janus".
 * @param {import('./messages.js').WebRtcSessionStatus} status
 */
export function formatWebRtc(status) {
  return status.mountpoint
    ? `WebRTC up · ${status.viewers} ${status.viewers === 1 ? 'viewer' : 'viewers'}`
    : 'WebRTC: no stream in Janus';
}

export class SessionList {
  /** @type {Map<string, Row>} */
  #rows = new Map();
  /** @type {HTMLElement} */
  #list;
  /** @type {HTMLElement} */
  #empty;
  /** @type {HTMLTemplateElement} */
  #template;
  /** @type {(error: unknown) => void} */
  #onError;
  /** @type {(id: string) => void} */
  #onShare;
  /** @type {import('./messages.js').WebRtcStatus | null} the last WebRTC state, for rows added after it */
  #webrtc = null;

  /**
   * @param {{ list: HTMLElement, empty: HTMLElement, template: HTMLTemplateElement, onError: (error: unknown) => void, onShare: (id: string) => void }} parts
   *   the list, what shows while it is empty, the row template, where failures go, and what "Share" does
   */
  constructor({ list, empty, template, onError, onShare }) {
    this.#list = list;
    this.#empty = empty;
    this.#template = template;
    this.#onError = onError;
    this.#onShare = onShare;
    // The list lives as long as the page: the timer is never stopped.
    setInterval(() => this.#tick(), thumbnailInterval);
    this.#render();
  }

  /** Replaces the list with the hub's snapshot. @param {SessionSummary[]} sessions */
  reset(sessions) {
    for (const id of [...this.#rows.keys()]) {
      if (!sessions.some(s => s.id === id)) {
        this.remove(id);
      }
    }
    for (const session of sessions) {
      this.upsert(session);
    }
  }

  /** @param {SessionSummary} session */
  upsert(session) {
    const row = this.#rows.get(session.id) ?? this.#add(session.id);
    Object.assign(row.data, session);
    if (session.stats) {
      Object.assign(row.data, { fps: session.stats.fps, bitrateBps: session.stats.bitrateBps, latencyMs: session.stats.latencyMs });
    }
    this.#update(row);
  }

  /** @param {StreamStartedMessage} message */
  stream(message) {
    const row = this.#rows.get(message.sessionId);
    if (row && message.kind === 'video' && message.width > 0) {
      Object.assign(row.data, { codec: message.codec, width: message.width, height: message.height });
      this.#update(row);
      this.#refreshThumbnail(row);
    }
  }

  /** @param {FormatChangedMessage} message */
  format(message) {
    this.stream({ ...message, kind: 'video' });
  }

  /** A cast video started or changed state. @param {CastMessage} message */
  cast(message) {
    const row = this.#rows.get(message.sessionId);
    if (row) {
      const known = row.data.cast;
      row.data.kind = 'video';
      row.data.cast = {
        host: message.host ?? known?.host ?? '',
        title: message.title ?? known?.title ?? null,
        media: message.media ?? known?.media ?? 'file',
        state: message.state,
        position: message.position,
        rate: message.rate,
        duration: message.duration,
        proxiedSegments: known?.proxiedSegments ?? 0,
      };
      this.#update(row);
    }
  }

  /** A session's recording started or stopped. @param {RecordingChangedMessage} message */
  recording(message) {
    const row = this.#rows.get(message.sessionId);
    if (row) {
      row.data.recording = message.recording;
      row.data.recordingNote = message.recording ? null : stopNote(message.reason, message.bytes);
      this.#update(row);
    }
  }

  /** Whether the session is being recorded. @param {string} id */
  isRecording(id) {
    return this.#rows.get(id)?.data.recording === true;
  }

  /** @param {SessionStats} stats */
  stats(stats) {
    const row = this.#rows.get(stats.sessionId);
    if (row) {
      Object.assign(row.data, { fps: stats.fps, bitrateBps: stats.bitrateBps, viewers: stats.viewers, latencyMs: stats.latencyMs });
      this.#update(row);
    }
  }

  /**
   * WebRTC's state: each session's mountpoint and WebRTC viewers (nothing is shown when Janus is off).
   * @param {import('./messages.js').WebRtcStatus} status
   */
  webrtc(status) {
    for (const row of this.#rows.values()) {
      row.data.webrtc = status.janus === 'off' ? null : status.sessions.find(s => s.sessionId === row.id) ?? null;
      this.#update(row);
    }
    this.#webrtc = status;
  }

  /** @param {string} id */
  remove(id) {
    const row = this.#rows.get(id);
    if (!row) {
      return;
    }
    this.#rows.delete(id);
    row.element.remove();
    if (row.thumbnailUrl) {
      URL.revokeObjectURL(row.thumbnailUrl);
    }
    this.#render();
  }

  /** @param {string} id */
  #add(id) {
    const element = /** @type {HTMLElement} */ (/** @type {Element} */ (this.#template.content.firstElementChild).cloneNode(true));
    element.dataset.sessionId = id;
    const open = /** @type {HTMLAnchorElement} */ (part(element, '.open'));
    open.href = `/view/${encodeURIComponent(id)}`;
    // The viewer page gets a link with a token of its own, so that it still plays when opened elsewhere.
    createViewLink(id, 12 * 60).then(link => {
      const url = new URL(link.url);
      open.href = url.pathname + url.search;
    }, () => {});
    /** @type {Row} */
    const row = { id, element, data: { id, webrtc: this.#webrtc?.sessions.find(s => s.sessionId === id) ?? null }, thumbnailUrl: null, loading: false };
    part(element, '.share').addEventListener('click', () => this.#onShare(id));
    const disconnect = /** @type {HTMLButtonElement} */ (part(element, '.disconnect'));
    disconnect.addEventListener('click', async () => {
      disconnect.disabled = true;
      try {
        await disconnectSession(id);
      } catch (error) {
        disconnect.disabled = false;
        this.#onError(error);
      }
    });
    const button = /** @type {HTMLButtonElement} */ (part(element, '.record'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await (row.data.recording ? stopRecording(id) : startRecording(id));
      } catch (error) {
        if (error instanceof RecordingRefusedError) {
          row.data.recordingNote = `Not recorded: ${error.message}`;
          this.#update(row);
        } else {
          this.#onError(error);
        }
      } finally {
        button.disabled = false;
      }
    });
    const capture = /** @type {HTMLButtonElement} */ (part(element, '.capture'));
    capture.addEventListener('click', async () => {
      capture.disabled = true;
      try {
        if (row.data.capturing) {
          await downloadCapture(id);
        } else {
          await startCapture(id);
          row.data.capturing = true;
          this.#update(row);
        }
      } catch (error) {
        this.#onError(error);
      } finally {
        capture.disabled = false;
      }
    });
    this.#rows.set(id, row);
    this.#list.append(element);
    this.#render();
    this.#refreshThumbnail(row);
    return row;
  }

  /** @param {Row} row */
  #update(row) {
    const d = row.data;
    const el = row.element;
    part(el, '.name').textContent = d.senderName || 'Unknown sender';
    part(el, '.model').textContent = d.senderModel ?? '';
    el.dataset.kind = d.kind ?? 'mirror';
    part(el, '.resolution').textContent = d.cast
      ? `${d.cast.title ? `${d.cast.title}: ` : ''}video from ${d.cast.host}, ${d.cast.state}`
      : formatResolution(d.width, d.height);
    part(el, '.fps').textContent = formatFps(d.fps);
    part(el, '.bitrate').textContent = formatBitrate(d.bitrateBps);
    part(el, '.latency').textContent = formatLatency(d.latencyMs);
    part(el, '.viewers').textContent = formatViewers(d.viewers);
    const webrtc = part(el, '.webrtc');
    webrtc.hidden = !d.webrtc;
    webrtc.textContent = d.webrtc ? formatWebRtc(d.webrtc) : '';
    el.dataset.webrtc = d.webrtc ? (d.webrtc.mountpoint ? 'up' : 'down') : 'off';
    part(el, '.since').textContent = d.startedAt ? `for ${formatSince(d.startedAt)}` : '';
    el.dataset.recording = d.recording ? 'true' : 'false';
    const note = part(el, '.recording-note');
    note.textContent = d.recordingNote ?? '';
    note.hidden = !d.recordingNote;
    const record = part(el, '.record');
    // A cast plays from its own address in the pages: there is nothing of it to record.
    record.hidden = d.kind === 'video';
    record.textContent = d.recording ? 'Stop recording' : 'Record';
    record.setAttribute('aria-pressed', d.recording ? 'true' : 'false');
    el.dataset.capturing = d.capturing ? 'true' : 'false';
    const capture = part(el, '.capture');
    capture.textContent = d.capturing ? 'Download capture' : 'Capture protocol';
    capture.setAttribute('aria-pressed', d.capturing ? 'true' : 'false');
  }

  /** @param {Row} row */
  async #refreshThumbnail(row) {
    if (row.loading || !row.data.width) {
      return;
    }
    row.loading = true;
    try {
      const blob = await getSnapshot(row.id);
      if (blob && this.#rows.get(row.id) === row) {
        const previous = row.thumbnailUrl;
        row.thumbnailUrl = URL.createObjectURL(blob);
        const thumb = /** @type {HTMLImageElement} */ (part(row.element, '.thumb'));
        thumb.src = row.thumbnailUrl;
        thumb.alt = `Screen of ${row.data.senderName || 'the sender'}`;
        if (previous) {
          URL.revokeObjectURL(previous);
        }
      }
    } catch (error) {
      this.#onError(error);
    } finally {
      row.loading = false;
    }
  }

  #tick() {
    for (const row of this.#rows.values()) {
      this.#update(row);
      this.#refreshThumbnail(row);
    }
  }

  #render() {
    this.#empty.hidden = this.#rows.size > 0;
  }
}
