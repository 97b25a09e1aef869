// Media Source Extensions player: fMP4 init segment + one movie fragment per access unit.
// Holds the live edge by steering playbackRate (never by seeking, which re-decodes from the keyframe),
// trims what is more than 10 s behind, and switches formats in place (changeType or a fresh MediaSource).

import { FrameTimeline } from './frame-timeline.js';
import { audioMimeType, mimeType } from './protocol.js';

const TARGET_LAG_S = 0.02;
// With sound, the browser's audio renderer needs a cushion, and every playbackRate change engages its time
// stretcher: hold a larger lag and leave the rate at 1 inside a dead band.
const AUDIO_TARGET_LAG_S = 0.2;
const AUDIO_CATCH_UP_S = 0.15;
const AUDIO_MAX_RATE = 1.25;
const MAX_RATE = 1.5;
const RECOVER_LAG_S = 3;
const KEEP_BEHIND_S = 10;
const MAX_QUEUE = 180;
const JOIN_LAG_S = 0.1;

export class MsePlayer {
  static supports(format) {
    return 'MediaSource' in window && MediaSource.isTypeSupported(mimeType(format));
  }

  constructor(video, stats) {
    this.video = video;
    this.stats = stats;
    this.timeline = new FrameTimeline();
    this.mediaSource = null;
    this.sourceBuffer = null;
    this.audioBuffer = null;
    this.audioQueue = [];
    this.objectUrl = null;
    this.queue = [];
    this.mime = null;
    this.pendingMime = null;
    this.waitingForKeyframe = true;
    this.started = false;
    this.lastTrim = 0;
    this.closed = false;
    // Audio track: a second SourceBuffer in the same MediaSource, fed its own fMP4 stream (track 2).
    this.audioMime = null;
    this.audioInit = null;
    this.audioBuffer = null;
    this.audioQueue = [];
  }

  get mode() {
    return 'mse';
  }

  /** A format message: the next binary message is its init segment. */
  configure(format) {
    this.pendingMime = mimeType(format);
  }

  /** An init segment for the last configured format. */
  appendInit(payload) {
    const mime = this.pendingMime;
    if (this.sourceBuffer && this.mime !== mime && typeof this.sourceBuffer.changeType !== 'function') {
      this.reset();
    }
    if (!this.mediaSource) {
      this.open(mime);
    } else if (this.mime !== mime) {
      this.queue.push({ op: 'changeType', mime });
    }
    this.mime = mime;
    this.waitingForKeyframe = true;
    this.queue.push({ op: 'append', data: payload, init: true });
    this.pump();
  }

  appendMedia(frame) {
    if (this.waitingForKeyframe && !frame.keyframe) {
      this.stats.droppedFrames += 1;
      return;
    }
    if (this.queue.length > MAX_QUEUE) {
      // The decoder cannot keep up: drop what waits and resume at the next keyframe.
      const dropped = this.queue.filter((entry) => entry.op === 'append' && !entry.init).length;
      this.queue = this.queue.filter((entry) => entry.op !== 'append' || entry.init);
      this.stats.droppedFrames += dropped;
      this.waitingForKeyframe = !frame.keyframe;
      if (!frame.keyframe) {
        return;
      }
    }
    this.waitingForKeyframe = false;
    this.timeline.add(frame);
    this.queue.push({ op: 'append', data: frame.payload });
    this.pump();
  }

  /** An audioFormat message: the session has (or will have) an audio track. */
  configureAudio(format) {
    const mime = audioMimeType(format);
    this.audioMime = 'MediaSource' in window && MediaSource.isTypeSupported(mime) ? mime : null;
  }

  /** The audio init segment. A MediaSource already playing without audio is rebuilt (the video format follows). */
  appendAudioInit(payload) {
    if (!this.audioMime) {
      return;
    }
    this.audioInit = payload;
    if (this.audioBuffer) {
      this.audioQueue.push({ op: 'append', data: payload, init: true });
      this.pumpAudio();
    } else if (this.sourceBuffer) {
      this.reset();
    }
  }

  appendAudio(frame) {
    if (!this.audioBuffer) {
      return;
    }
    if (this.audioQueue.length > MAX_QUEUE) {
      this.audioQueue = this.audioQueue.filter((entry) => entry.init);
      this.stats.droppedAudioFrames = (this.stats.droppedAudioFrames || 0) + 1;
    }
    this.audioQueue.push({ op: 'append', data: frame.payload });
    this.pumpAudio();
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

  addAudioBuffer() {
    if (!this.audioMime || !this.audioInit) {
      return;
    }
    this.audioBuffer = this.mediaSource.addSourceBuffer(this.audioMime);
    this.audioBuffer.mode = 'segments';
    this.audioBuffer.addEventListener('updateend', () => {
      this.afterUpdate();
      this.pumpAudio();
    });
    this.audioBuffer.addEventListener('error', () => {
      this.stats.lastError = 'audio SourceBuffer error';
    });
    this.audioQueue = [{ op: 'append', data: this.audioInit, init: true }];
  }

  pumpAudio() {
    const buffer = this.audioBuffer;
    if (!buffer || buffer.updating || this.audioQueue.length === 0 || this.mediaSource.readyState !== 'open') {
      return;
    }
    const next = this.audioQueue.shift();
    try {
      if (next.op === 'append') {
        buffer.appendBuffer(next.data);
      } else if (next.op === 'remove') {
        buffer.remove(next.start, next.end);
      }
    } catch (error) {
      this.stats.lastError = String(error);
    }
  }

  /** Called for each presented frame (requestVideoFrameCallback). Returns the frame's origin or null. */
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
   */
  measureAvOffset(metadata) {
    if (!this.audioBuffer || this.video.paused || this.video.playbackRate <= 0) {
      return;
    }
    const now = performance.now();
    const audioAt = now + ((metadata.mediaTime - this.video.currentTime) * 1000) / this.video.playbackRate;
    this.avOffsets = this.avOffsets || [];
    this.avOffsets.push(audioAt - metadata.expectedDisplayTime);
    if (this.avOffsets.length > 60) {
      this.avOffsets.shift();
    }
    const sorted = [...this.avOffsets].sort((a, b) => a - b);
    this.stats.avOffsetMs = sorted[Math.floor(sorted.length / 2)];
  }

  open(mime) {
    this.mediaSource = new MediaSource();
    this.objectUrl = URL.createObjectURL(this.mediaSource);
    this.video.src = this.objectUrl;
    this.mediaSource.addEventListener('sourceopen', () => {
      if (this.closed || !this.mediaSource) {
        return;
      }
      this.mediaSource.duration = Infinity;
      this.sourceBuffer = this.mediaSource.addSourceBuffer(mime);
      this.sourceBuffer.mode = 'segments';
      this.sourceBuffer.addEventListener('updateend', () => this.afterUpdate());
      this.sourceBuffer.addEventListener('error', () => {
        this.stats.lastError = 'SourceBuffer error';
      });
      this.addAudioBuffer();
      this.pump();
      this.pumpAudio();
    }, { once: true });
  }

  pump() {
    const buffer = this.sourceBuffer;
    if (!buffer || buffer.updating || this.queue.length === 0 || this.mediaSource.readyState !== 'open') {
      return;
    }
    const next = this.queue.shift();
    try {
      if (next.op === 'append') {
        buffer.appendBuffer(next.data);
      } else if (next.op === 'changeType') {
        buffer.changeType(next.mime);
        this.pump();
      } else if (next.op === 'remove') {
        buffer.remove(next.start, next.end);
      }
    } catch (error) {
      this.stats.lastError = String(error);
      if (error.name === 'QuotaExceededError') {
        this.trim(true);
      }
      this.waitingForKeyframe = true;
    }
  }

  afterUpdate() {
    const video = this.video;
    const buffered = video.buffered;
    if (buffered.length > 0) {
      const start = buffered.start(buffered.length - 1);
      const end = buffered.end(buffered.length - 1);
      // Starting (a late joiner receives the whole current GOP) or after a format change left a gap:
      // begin once near the newest buffered frame; from then on only playbackRate steers.
      if (!this.started || video.currentTime < start) {
        video.currentTime = Math.max(start, end - JOIN_LAG_S);
        this.started = true;
        video.play().catch(() => {});
      }
      if (video.paused && video.readyState >= 2) {
        video.play().catch(() => {});
      }
    }
    this.trim(false);
    this.pump();
  }

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
      this.queue.push({ op: 'remove', start: buffered.start(0), end: removeEnd });
      if (this.audioBuffer) {
        this.audioQueue.push({ op: 'remove', start: 0, end: removeEnd });
        this.pumpAudio();
      }
    }
  }

  steer(mediaTime) {
    const video = this.video;
    const buffered = video.buffered;
    if (buffered.length === 0) {
      return;
    }
    const lag = buffered.end(buffered.length - 1) - mediaTime;
    if (lag > RECOVER_LAG_S) {
      // Far behind (a background tab, a stall): one jump, then steer again.
      video.currentTime = buffered.end(buffered.length - 1) - 0.1;
      return;
    }
    let rate;
    if (this.audioBuffer) {
      const excess = lag - AUDIO_TARGET_LAG_S;
      const catchingUp = video.playbackRate > 1;
      rate = excess > AUDIO_CATCH_UP_S || (catchingUp && excess > 0) ? Math.min(AUDIO_MAX_RATE, 1 + excess) : 1;
    } else {
      const excess = lag - TARGET_LAG_S;
      rate = excess > 0 ? Math.min(MAX_RATE, 1 + excess * 5) : 1;
    }
    if (Math.abs(video.playbackRate - rate) > 0.02) {
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
    this.sourceBuffer = null;
    this.audioBuffer = null;
    this.audioQueue = [];
    this.objectUrl = null;
    this.queue = [];
    this.mime = null;
    this.started = false;
    this.timeline.clear();
  }

  close() {
    this.closed = true;
    this.reset();
    this.video.removeAttribute('src');
    this.video.load();
  }
}
