// @ts-check
// Viewer statistics: shown in the overlay and exposed as window.__viewerStats for tests.

const WINDOW = 300;

/** @param {number[]} values @param {number} p */
function percentile(values, p) {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export class ViewerStats {
  constructor() {
    this.mode = '';
    this.state = 'connecting';
    this.codec = '';
    this.lowDelay = false;
    /** @type {string | null} */
    this.audioCodec = null;
    this.audioFrames = 0;
    this.droppedAudioFrames = 0;
    /** @type {number | null} */
    this.lastAudioTimestampUs = null;
    /** @type {number | null} */
    this.lastAudioSenderUnixMs = null;
    /** @type {number | null} */
    this.volumeDb = null;
    // Frames the MSE decoder dropped (getVideoPlaybackQuality).
    this.decoderDropped = 0;
    this.width = 0;
    this.height = 0;
    this.framesReceived = 0;
    this.framesDecoded = 0;
    this.framesPresented = 0;
    this.droppedFrames = 0;
    this.bytesReceived = 0;
    this.formatChanges = 0;
    this.reconnects = 0;
    /** @type {number | null} */
    this.firstFrameMs = null;
    /** @type {number | null} */
    this.connectedMs = null;
    /** @type {number[]} */
    this.latencies = [];
    /** @type {number[]} */
    this.receiverLatencies = [];
    // Per video message: the receiver's own added latency (ms), from the access unit complete to its WebSocket send.
    /** @type {number[]} */
    this.receiverAdded = [];
    this.fps = 0;
    this.bitrate = 0;
    this.lastError = '';
    this.matchedByTimestamp = 0;
    this.matchedByNewest = 0;
    // Definitions of the figures: docs/VIEWER-STATS.md.
    // Audio hand-over time minus video display time of one media instant (ms; > 0: the sound is late), with audio.
    /** @type {number | null} */
    this.avOffsetMs = null;
    // WebCodecs with audio: how long the A/V playout clock holds a decoded picture before the screen gets it (ms, ≥ 0),
    // and the audio frames dropped to bring the clock back to the live edge after stalls.
    /** @type {number | null} */
    this.playoutDelayMs = null;
    this.audioSkipped = 0;
    // WebCodecs: AudioData written to the audio track; backlog pictures decoded and not shown (joining mid-GOP).
    this.audioDataWritten = 0;
    this.backlogDecoded = 0;
    // WebCodecs: live pictures decoded while the decoder caught up after a backlog and not shown (a newer one waited).
    this.catchUpSkipped = 0;
    this._rateWindow = { time: performance.now(), frames: 0, bytes: 0 };
  }

  /** @param {number} count */
  onBytes(count) {
    this.bytesReceived += count;
    this.framesReceived += 1;
  }

  /**
   * A frame reached the screen at wall-clock time displayUnixMs; origin is its FrameTimeline entry or null.
   * @param {number} displayUnixMs
   * @param {import('./frame-timeline.js').FrameOrigin | null} origin
   */
  onPresented(displayUnixMs, origin) {
    this.framesPresented += 1;
    if (this.firstFrameMs === null) {
      this.firstFrameMs = performance.now();
    }
    if (origin && this.latencies.length < 100000) {
      if (origin.senderUnixMs > 0) {
        this.latencies.push(displayUnixMs - origin.senderUnixMs);
      }
      if (origin.receivedUnixMs > 0) {
        this.receiverLatencies.push(displayUnixMs - origin.receivedUnixMs);
      }
    }
  }

  /**
   * A video message arrived: records the receiver's added latency from its header (both times on the receiver's clock).
   * @param {import('./protocol.js').MediaFrame} frame
   */
  onVideoMessage(frame) {
    if (frame.receivedUnixMs > 0 && this.receiverAdded.length < 100000) {
      this.receiverAdded.push(Math.max(0, frame.sentUnixMs - frame.receivedUnixMs));
    }
  }

  /** Recomputes fps and bitrate; call about once a second. */
  tick() {
    const now = performance.now();
    const elapsed = (now - this._rateWindow.time) / 1000;
    if (elapsed >= 0.5) {
      this.fps = (this.framesPresented - this._rateWindow.frames) / elapsed;
      this.bitrate = ((this.bytesReceived - this._rateWindow.bytes) * 8) / elapsed;
      this._rateWindow = { time: now, frames: this.framesPresented, bytes: this.bytesReceived };
    }
  }

  /** @param {number} p */
  latencyPercentile(p) {
    return percentile(this.latencies.slice(-WINDOW), p);
  }

  /** @returns {[string, string][]} */
  summary() {
    const ms = (/** @type {number} */ v) => (Number.isNaN(v) ? '–' : `${v.toFixed(0)} ms`);
    return [
      ['mode', `${this.mode}${this.lowDelay ? ' (low delay)' : ''}`],
      ['state', this.state],
      ['codec', this.codec || '–'],
      ['resolution', this.width ? `${this.width}×${this.height}` : '–'],
      ['fps', this.fps.toFixed(1)],
      ['bitrate', `${(this.bitrate / 1e6).toFixed(2)} Mbit/s`],
      ['latency p50', ms(this.latencyPercentile(50))],
      ['latency p95', ms(this.latencyPercentile(95))],
      ['presented', String(this.framesPresented)],
      ['dropped', String(this.droppedFrames)],
      ['A/V offset', typeof this.avOffsetMs === 'number' ? `${this.avOffsetMs.toFixed(0)} ms` : '–'],
      ['playout delay', typeof this.playoutDelayMs === 'number' ? `${this.playoutDelayMs.toFixed(0)} ms` : '–'],
    ];
  }
}
