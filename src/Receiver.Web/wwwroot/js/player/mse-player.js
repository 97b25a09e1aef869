// @ts-check
// Media Source Extensions player: fMP4 init segment + one movie fragment per access unit.
// A viewer joining mid-GOP starts with one seek near the newest frame once the GOP so far is buffered (the
// browser decodes the frames before it without showing them); from then on the live edge is held by playbackRate
// (live-edge.js), seeking again only after a stall of more than a second. Trims what is more than 10 s behind, and
// switches formats in place (changeType or a fresh MediaSource).

import { BufferPump } from './buffer-pump.js';
import { FrameTimeline } from './frame-timeline.js';
import { LiveEdge, SILENT, WITH_SOUND } from './live-edge.js';
import { audioMimeType, mimeType } from './protocol.js';

/** @typedef {import('./protocol.js').MediaFrame} MediaFrame */
/** @typedef {import('./protocol.js').VideoFormatMessage} VideoFormatMessage */
/** @typedef {import('./protocol.js').AudioFormatMessage} AudioFormatMessage */
/** @typedef {import('./stats.js').ViewerStats} ViewerStats */

const KEEP_BEHIND_S = 10;
const MAX_QUEUE = 180;
// A viewer that joins mid-GOP first receives the GOP so far in one burst; it starts when frames arrive at the
// stream's own pace (or after this long at the latest), with one seek close to the newest frame.
const JOIN_WAIT_MS = 1000;
const SETTLE_MS = 1000;

export class MsePlayer {
  /** @param {VideoFormatMessage} format */
  static supports(format) {
    return 'MediaSource' in window && MediaSource.isTypeSupported(mimeType(format));
  }

  /**
   * @param {HTMLVideoElement} video
   * @param {ViewerStats} stats
   */
  constructor(video, stats) {
    this.video = video;
    this.stats = stats;
    this.timeline = new FrameTimeline();
    /** @type {MediaSource | null} */
    this.mediaSource = null;
    /** @type {string | null} */
    this.objectUrl = null;
    // The video SourceBuffer's queue; a format change is a changeType operation in it.
    this.videoPump = new BufferPump((error) => {
      this.stats.lastError = String(error);
      if (error instanceof DOMException && error.name === 'QuotaExceededError') {
        this.trim(true);
      }
      this.waitingForKeyframe = true;
    });
    /** @type {string | null} */
    this.mime = null;
    /** @type {string | null} */
    this.pendingMime = null;
    this.waitingForKeyframe = true;
    this.started = false;
    this.liveEdge = new LiveEdge(SILENT);
    // Arrival of the newest video frame (performance.now(), timestamp in µs) and whether frames arrive at the
    // stream's pace yet (a late joiner's backlog arrives in one burst).
    /** @type {{ atMs: number, timestampUs: number, firstMs: number } | null} */
    this.arrival = null;
    this.live = false;
    this.lastTrim = 0;
    this.closed = false;
    // A stall while playing raises the live edge's target lag; not while seeking, nor in the second after a seek,
    // while the element refills from the keyframe.
    this.seekedAtMs = 0;
    this.onWaiting = () => {
      const now = performance.now();
      if (this.started && !video.seeking && now - this.seekedAtMs > SETTLE_MS) {
        this.liveEdge.stalled(now);
      }
    };
    video.addEventListener('waiting', this.onWaiting);
    // Audio track: a second SourceBuffer in the same MediaSource, fed its own fMP4 stream (track 2).
    /** @type {string | null} */
    this.audioMime = null;
    /** @type {Uint8Array<ArrayBuffer> | null} */
    this.audioInit = null;
    this.audioPump = new BufferPump((error) => {
      this.stats.lastError = String(error);
    });
    /** @type {number[]} */
    this.avOffsets = [];
  }

  get mode() {
    return 'mse';
  }

  /** The video SourceBuffer, or null before the MediaSource opened. */
  get sourceBuffer() {
    return this.videoPump.buffer;
  }

  /** The audio SourceBuffer, or null without sound. */
  get audioBuffer() {
    return this.audioPump.buffer;
  }

  /** A format message: the next binary message is its init segment. @param {VideoFormatMessage} format */
  configure(format) {
    this.pendingMime = mimeType(format);
  }

  /** An init segment for the last configured format. @param {Uint8Array<ArrayBuffer>} payload */
  appendInit(payload) {
    const mime = /** @type {string} */ (this.pendingMime);
    if (this.sourceBuffer && this.mime !== mime && typeof this.sourceBuffer.changeType !== 'function') {
      this.reset();
    }
    if (!this.mediaSource) {
      this.open(mime);
    } else if (this.mime !== mime) {
      this.videoPump.push({ op: 'changeType', mime });
    }
    this.mime = mime;
    this.waitingForKeyframe = true;
    this.videoPump.push({ op: 'append', data: payload, init: true });
    this.videoPump.pump();
  }

  /** @param {MediaFrame} frame */
  appendMedia(frame) {
    if (this.waitingForKeyframe && !frame.keyframe) {
      this.stats.droppedFrames += 1;
      return;
    }
    if (this.videoPump.length > MAX_QUEUE) {
      // The decoder cannot keep up: drop what waits and resume at the next keyframe.
      this.stats.droppedFrames += this.videoPump.retain((entry) => entry.op !== 'append' || entry.init === true);
      this.waitingForKeyframe = !frame.keyframe;
      if (!frame.keyframe) {
        return;
      }
    }
    this.waitingForKeyframe = false;
    this.noteArrival(frame);
    this.timeline.add(frame);
    this.videoPump.push({ op: 'append', data: frame.payload });
    this.videoPump.pump();
  }

  /**
   * Tells a burst (the GOP so far, sent at once to a viewer that joins) from frames arriving at the stream's pace.
   * @param {MediaFrame} frame
   */
  noteArrival(frame) {
    const now = performance.now();
    const last = this.arrival;
    if (!last) {
      this.arrival = { atMs: now, timestampUs: frame.timestampUs, firstMs: now };
      // A still screen sends no further pictures: start with what came after JOIN_WAIT_MS at the latest.
      setTimeout(() => {
        if (!this.closed && this.arrival?.firstMs === now && !this.live) {
          this.live = true;
          this.afterUpdate();
        }
      }, JOIN_WAIT_MS);
      return;
    }
    const mediaMs = (frame.timestampUs - last.timestampUs) / 1000;
    if (!this.live && ((mediaMs > 0 && now - last.atMs >= mediaMs / 2) || now - last.firstMs >= JOIN_WAIT_MS)) {
      this.live = true;
    }
    this.arrival = { atMs: now, timestampUs: frame.timestampUs, firstMs: last.firstMs };
  }

  /** An audioFormat message: the session has (or will have) an audio track. @param {AudioFormatMessage} format */
  configureAudio(format) {
    const mime = audioMimeType(format);
    this.audioMime = 'MediaSource' in window && MediaSource.isTypeSupported(mime) ? mime : null;
  }

  /**
   * The audio init segment. A MediaSource already playing without audio is rebuilt (the video format follows).
   * @param {Uint8Array<ArrayBuffer>} payload
   */
  appendAudioInit(payload) {
    if (!this.audioMime) {
      return;
    }
    this.audioInit = payload;
    if (this.audioBuffer) {
      this.audioPump.push({ op: 'append', data: payload, init: true });
      this.audioPump.pump();
    } else if (this.sourceBuffer) {
      this.reset();
    }
  }

  /** @param {MediaFrame} frame */
  appendAudio(frame) {
    if (!this.audioBuffer) {
      return;
    }
    if (this.audioPump.length > MAX_QUEUE) {
      this.audioPump.retain((entry) => entry.op === 'append' && entry.init === true);
      this.stats.droppedAudioFrames = (this.stats.droppedAudioFrames || 0) + 1;
    }
    this.audioPump.push({ op: 'append', data: frame.payload });
    this.audioPump.pump();
  }

  /** The audio track ended: rebuild without it (the video format follows). */
  removeAudio() {
    this.audioMime = null;
    this.audioInit = null;
    this.avOffsets = [];
    this.stats.avOffsetMs = null;
    if (this.audioBuffer) {
      this.reset();
    }
  }

  /** @param {MediaSource} mediaSource */
  addAudioBuffer(mediaSource) {
    if (!this.audioMime || !this.audioInit) {
      return;
    }
    const buffer = mediaSource.addSourceBuffer(this.audioMime);
    buffer.mode = 'segments';
    buffer.addEventListener('updateend', () => {
      this.afterUpdate();
      this.audioPump.pump();
    });
    buffer.addEventListener('error', () => {
      this.stats.lastError = 'audio SourceBuffer error';
    });
    this.audioPump.clear();
    this.audioPump.attach(mediaSource, buffer);
    this.audioPump.push({ op: 'append', data: this.audioInit, init: true });
  }

  /**
   * Called for each presented frame (requestVideoFrameCallback). Returns the frame's origin or null.
   * @param {VideoFrameCallbackMetadata} metadata
   */
  onPresented(metadata) {
    const origin = this.timeline.take(metadata.mediaTime * 1e6);
    this.steer(metadata.mediaTime);
    this.measureAvOffset(metadata);
    return origin;
  }

  /**
   * With an audio track the media clock (currentTime) follows the audio output, so the audio of the presented
   * frame's instant plays at now + (mediaTime − currentTime) / rate; the frame is shown at expectedDisplayTime.
   * Their difference, as a median over the recent frames, is avOffsetMs (audio minus video).
   * @param {VideoFrameCallbackMetadata} metadata
   */
  measureAvOffset(metadata) {
    if (!this.audioBuffer || this.video.paused || this.video.playbackRate <= 0) {
      return;
    }
    const now = performance.now();
    const audioAt = now + ((metadata.mediaTime - this.video.currentTime) * 1000) / this.video.playbackRate;
    this.avOffsets.push(audioAt - metadata.expectedDisplayTime);
    if (this.avOffsets.length > 60) {
      this.avOffsets.shift();
    }
    const sorted = [...this.avOffsets].sort((a, b) => a - b);
    this.stats.avOffsetMs = sorted[Math.floor(sorted.length / 2)];
  }

  /** @param {string} mime */
  open(mime) {
    const mediaSource = new MediaSource();
    this.mediaSource = mediaSource;
    this.objectUrl = URL.createObjectURL(mediaSource);
    this.video.src = this.objectUrl;
    mediaSource.addEventListener('sourceopen', () => {
      if (this.closed || this.mediaSource !== mediaSource) {
        return;
      }
      mediaSource.duration = Infinity;
      const buffer = mediaSource.addSourceBuffer(mime);
      buffer.mode = 'segments';
      buffer.addEventListener('updateend', () => this.afterUpdate());
      buffer.addEventListener('error', () => {
        this.stats.lastError = 'SourceBuffer error';
      });
      this.videoPump.attach(mediaSource, buffer);
      this.addAudioBuffer(mediaSource);
      this.videoPump.pump();
      this.audioPump.pump();
    }, { once: true });
  }

  afterUpdate() {
    const video = this.video;
    const buffered = video.buffered;
    if (buffered.length > 0) {
      const start = buffered.start(buffered.length - 1);
      const end = buffered.end(buffered.length - 1);
      this.liveEdge.use(this.audioBuffer ? WITH_SOUND : SILENT);
      // Starting once the backlog is in, or after a format change left a gap: one seek near the newest frame;
      // from then on playbackRate steers.
      if ((!this.started && this.live) || (this.started && video.currentTime < start)) {
        // The seek decodes from the keyframe (the frames before the target are not shown) while newer frames
        // arrive, so it aims at the newest frame: the lag when playback resumes is what arrived meanwhile.
        video.currentTime = end;
        this.seekedAtMs = performance.now();
        if (this.started) {
          this.liveEdge.restart();
        } else {
          this.liveEdge.joined(this.seekedAtMs);
        }
        this.started = true;
        video.play().catch(() => {});
      }
      if (this.started && video.paused && video.readyState >= 2) {
        video.play().catch(() => {});
      }
    }
    this.trim(false);
    this.videoPump.pump();
  }

  /** Removes what is more than KEEP_BEHIND_S behind; at most every 2 s unless forced. @param {boolean} force */
  trim(force) {
    const now = performance.now();
    if (!force && now - this.lastTrim < 2000) {
      return;
    }
    this.lastTrim = now;
    const buffered = this.video.buffered;
    if (buffered.length === 0) {
      return;
    }
    const removeEnd = this.video.currentTime - KEEP_BEHIND_S;
    if (removeEnd > buffered.start(0)) {
      this.videoPump.push({ op: 'remove', start: buffered.start(0), end: removeEnd });
      if (this.audioBuffer) {
        this.audioPump.push({ op: 'remove', start: 0, end: removeEnd });
        this.audioPump.pump();
      }
    }
  }

  /** Steers playbackRate towards the target lag behind the buffered end. @param {number} mediaTime */
  steer(mediaTime) {
    const video = this.video;
    const buffered = video.buffered;
    if (buffered.length === 0 || !this.started) {
      return;
    }
    const end = buffered.end(buffered.length - 1);
    const rate = this.liveEdge.rate(end - mediaTime, performance.now());
    if (rate === null) {
      // Far behind (a background tab, a long stall): one jump, then steer again.
      video.currentTime = end;
      this.seekedAtMs = performance.now();
      video.playbackRate = 1;
      return;
    }
    if (video.playbackRate !== rate) {
      video.playbackRate = rate;
    }
  }

  reset() {
    if (this.mediaSource && this.mediaSource.readyState === 'open') {
      try {
        this.mediaSource.endOfStream();
      } catch {
        // already ended
      }
    }
    if (this.objectUrl) {
      URL.revokeObjectURL(this.objectUrl);
    }
    this.mediaSource = null;
    this.videoPump.clear();
    this.audioPump.clear();
    this.objectUrl = null;
    this.mime = null;
    this.started = false;
    this.arrival = null;
    this.live = false;
    this.liveEdge.restart();
    this.video.playbackRate = 1;
    this.timeline.clear();
  }

  close() {
    this.closed = true;
    this.video.removeEventListener('waiting', this.onWaiting);
    this.reset();
    this.video.removeAttribute('src');
    this.video.load();
  }
}
