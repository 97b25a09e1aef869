// The live session list: one row per session, updated from hub messages.
import { disconnectSession, getSnapshot, startRecording, stopRecording } from './api.js';
import { formatBitrate, formatFps, formatLatency, formatResolution, formatSince, formatViewers } from './format.js';

const thumbnailInterval = 3000;

export class SessionList {
  #rows = new Map();
  #list;
  #empty;
  #template;
  #timer;
  #onError;

  constructor({ list, empty, template, onError }) {
    this.#list = list;
    this.#empty = empty;
    this.#template = template;
    this.#onError = onError;
    this.#timer = setInterval(() => this.#tick(), thumbnailInterval);
    this.#render();
  }

  /** Replaces the list with the hub's snapshot. */
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

  upsert(session) {
    const row = this.#rows.get(session.id) ?? this.#add(session.id);
    Object.assign(row.data, session);
    if (session.stats) {
      Object.assign(row.data, { fps: session.stats.fps, bitrateBps: session.stats.bitrateBps, latencyMs: session.stats.latencyMs });
    }
    this.#update(row);
  }

  stream(message) {
    const row = this.#rows.get(message.sessionId);
    if (row && message.kind === 'video' && message.width > 0) {
      Object.assign(row.data, { codec: message.codec, width: message.width, height: message.height });
      this.#update(row);
      this.#refreshThumbnail(row);
    }
  }

  format(message) {
    this.stream({ ...message, kind: 'video' });
  }

  /** A session's recording started or stopped. */
  recording(message) {
    const row = this.#rows.get(message.sessionId);
    if (row) {
      row.data.recording = message.recording;
      this.#update(row);
    }
  }

  stats(stats) {
    const row = this.#rows.get(stats.sessionId);
    if (row) {
      Object.assign(row.data, { fps: stats.fps, bitrateBps: stats.bitrateBps, viewers: stats.viewers, latencyMs: stats.latencyMs });
      this.#update(row);
    }
  }

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

  #add(id) {
    const element = this.#template.content.firstElementChild.cloneNode(true);
    element.dataset.sessionId = id;
    element.querySelector('.open').href = `/view/${encodeURIComponent(id)}`;
    const row = { id, element, data: { id }, thumbnailUrl: null, loading: false };
    element.querySelector('.disconnect').addEventListener('click', async event => {
      event.currentTarget.disabled = true;
      try {
        await disconnectSession(id);
      } catch (error) {
        event.currentTarget.disabled = false;
        this.#onError(error);
      }
    });
    element.querySelector('.record').addEventListener('click', async event => {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        await (row.data.recording ? stopRecording(id) : startRecording(id));
      } catch (error) {
        this.#onError(error);
      } finally {
        button.disabled = false;
      }
    });
    this.#rows.set(id, row);
    this.#list.append(element);
    this.#render();
    this.#refreshThumbnail(row);
    return row;
  }

  #update(row) {
    const d = row.data;
    const el = row.element;
    el.querySelector('.name').textContent = d.senderName || 'Unknown sender';
    el.querySelector('.model').textContent = d.senderModel ?? '';
    el.querySelector('.resolution').textContent = formatResolution(d.width, d.height);
    el.querySelector('.fps').textContent = formatFps(d.fps);
    el.querySelector('.bitrate').textContent = formatBitrate(d.bitrateBps);
    el.querySelector('.latency').textContent = formatLatency(d.latencyMs);
    el.querySelector('.viewers').textContent = formatViewers(d.viewers);
    el.querySelector('.since').textContent = d.startedAt ? `for ${formatSince(d.startedAt)}` : '';
    el.dataset.recording = d.recording ? 'true' : 'false';
    const record = el.querySelector('.record');
    record.textContent = d.recording ? 'Stop recording' : 'Record';
    record.setAttribute('aria-pressed', d.recording ? 'true' : 'false');
  }

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
        const thumb = row.element.querySelector('.thumb');
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
