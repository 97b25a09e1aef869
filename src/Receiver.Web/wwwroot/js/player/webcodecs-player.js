// @ts-check
// WebCodecs player: each access unit is decoded whole with VideoDecoder (optimizeForLatency) and the
// frames are written to a MediaStreamTrackGenerator shown by the <video> element (srcObject). With an audio
// track, audio and decoded video are handed to their generators by timestamp on a shared PlayoutClock. The sound
// comes as 16-bit PCM frames wrapped in AudioData as they are (no decoder, no encoder delay on the receiver), or
// as AAC decoded by an AudioDecoder when the receiver has no PCM.
//
// Pictures that arrive in a burst after a stall on the way are caught up with the same way: all decoded, the newest
// shown. Joining mid-GOP: the receiver first sends the GOP so far, flagged as backlog. Those pictures are decoded (the
// live ones depend on them) but not shown (only the last, when no live picture is waiting), and until the decoder has caught up with what arrived (its queue
// holds at most one frame) the live pictures are shown at once, outside the PlayoutClock, so that the clock
// starts at the live edge instead of taking the backlog's lateness for its steady offset.

import { FrameTimeline } from './frame-timeline.js';
import { PlayoutClock } from './playout-clock.js';
import { decodeDescription } from './protocol.js';

// Live pictures waiting for the decoder: from BURST_QUEUE on, they came in a burst (after a network or sender stall)
// and only the newest is shown once the decoder is through them; beyond MAX_DECODE_QUEUE the decoder cannot keep up
// with the stream at all, and decoding starts again from the next keyframe.
const BURST_QUEUE = 8;
const MAX_DECODE_QUEUE = 120;

/** @typedef {import('./protocol.js').MediaFrame} MediaFrame */
/** @typedef {import('./protocol.js').VideoFormatMessage} VideoFormatMessage */
/** @typedef {import('./protocol.js').AudioFormatMessage} AudioFormatMessage */
/** @typedef {import('./frame-timeline.js').FrameOrigin} FrameOrigin */
/** @typedef {import('./stats.js').ViewerStats} ViewerStats */

export class WebCodecsPlayer {
  static available() {
    return 'VideoDecoder' in window && 'EncodedVideoChunk' in window && 'MediaStreamTrackGenerator' in window;
  }

  /** @param {VideoFormatMessage} format */
  static async supports(format) {
    if (!WebCodecsPlayer.available()) {
      return false;
    }
    try {
      const result = await VideoDecoder.isConfigSupported(WebCodecsPlayer.config(format));
      return result.supported === true;
    } catch {
      return false;
    }
  }

  /**
   * @param {VideoFormatMessage} format
   * @returns {VideoDecoderConfig}
   */
  static config(format) {
    return {
      codec: format.codecString,
      description: decodeDescription(format),
      optimizeForLatency: true,
      hardwareAcceleration: 'no-preference',
    };
  }

  /**
   * @param {HTMLVideoElement} video
   * @param {ViewerStats} stats
   */
  constructor(video, stats) {
    this.video = video;
    this.stats = stats;
    this.timeline = new FrameTimeline();
    this.decoded = new FrameTimeline();
    this.generator = new MediaStreamTrackGenerator({ kind: 'video' });
    this.writer = this.generator.writable.getWriter();
    this.stream = new MediaStream([this.generator]);
    /** @type {VideoDecoder | null} */
    this.decoder = null;
    /** @type {VideoFormatMessage | null} The format to configure again after a decoder error. */
    this.pendingFormat = null;
    this.waitingForKeyframe = true;
    /** @type {FrameOrigin | null} */
    this.lastWritten = null;
    this.closed = false;
    this.clock = new PlayoutClock();
    // The audio track, while the session has sound.
    /** @type {AudioDecoder | null} */
    this.audioDecoder = null;
    /** @type {MediaStreamTrackGenerator<AudioData> | null} */
    this.audioGenerator = null;
    /** @type {WritableStreamDefaultWriter<AudioData> | null} */
    this.audioWriter = null;
    /** @type {{ sampleRate: number, channels: number } | null} The PCM format, when the sound comes as PCM. */
    this.pcm = null;
    /** @type {Set<number>} Timestamps of backlog pictures sent to the decoder and not yet out of it. */
    this.backlog = new Set();
    /** @type {number | null} Timestamp of the backlog's last picture, once it came. */
    this.backlogEnd = null;
    // True from a backlog until the decoder has caught up with the live pictures.
    this.catchingUp = false;
    video.srcObject = this.stream;
    video.play().catch(() => {});
  }

  get mode() {
    return 'webcodecs';
  }

  /** @param {VideoFormatMessage} format */
  configure(format) {
    if (!this.decoder || this.decoder.state === 'closed') {
      this.decoder = new VideoDecoder({
        output: (frame) => this.output(frame),
        error: (error) => {
          this.stats.lastError = String(error);
          this.decoder = null;
          this.waitingForKeyframe = true;
          if (this.pendingFormat) {
            this.configure(this.pendingFormat);
          }
        },
      });
    }
    this.pendingFormat = format;
    /** @type {VideoDecoder} */ (this.decoder).configure(WebCodecsPlayer.config(format));
    this.waitingForKeyframe = true;
  }

  appendInit() {
    // WebCodecs mode carries the decoder configuration in the format message.
  }

  appendAudioInit() {
    // Likewise the audioFormat message for the AudioDecoder (no audio init segment is sent in this mode).
  }

  /** @param {MediaFrame} frame */
  appendMedia(frame) {
    const decoder = this.decoder;
    if (!decoder || decoder.state !== 'configured') {
      return;
    }
    // A decoder that falls MAX_DECODE_QUEUE live pictures behind starts again from the next keyframe. The backlog
    // a late joiner gets arrives in one burst and does not count: it is a GOP at most, and the live pictures
    // after it depend on it.
    const behind = decoder.decodeQueueSize - this.backlog.size;
    if (behind >= BURST_QUEUE && !frame.backlog) {
      // Pictures held up on the way arrived together: decode them all (the later ones depend on them) but show
      // only the newest, as after a backlog, instead of playing the stretch late.
      this.catchingUp = true;
    }
    if (!frame.keyframe && (this.waitingForKeyframe || behind > MAX_DECODE_QUEUE)) {
      this.waitingForKeyframe = true;
      this.stats.droppedFrames += 1;
      return;
    }
    this.waitingForKeyframe = false;
    if (frame.backlog) {
      this.backlog.add(frame.timestampUs);
      if (frame.backlogEnd) {
        this.backlogEnd = frame.timestampUs;
      }
      this.catchingUp = true;
    } else {
      this.timeline.add(frame);
    }
    decoder.decode(new EncodedVideoChunk({
      type: frame.keyframe ? 'key' : 'delta',
      timestamp: frame.timestampUs,
      data: frame.payload,
    }));
  }

  /** True while the session's sound plays through this player. */
  get hasAudio() {
    return this.audioGenerator !== null;
  }

  /** @param {VideoFrame} frame */
  output(frame) {
    this.stats.framesDecoded += 1;
    if (this.backlog.delete(frame.timestamp)) {
      // A picture from before the viewer joined: decoded for the ones after it, not shown, unless it is the GOP's
      // last (the receiver flags it: the decoder may catch up with the backlog before all of it has arrived) and
      // nothing newer waits for the decoder (a still screen sends no more pictures): then it is the newest picture
      // there is. Backlog pictures are not in the timeline, so they give no latency figure.
      this.stats.backlogDecoded += 1;
      const queued = this.decoder ? this.decoder.decodeQueueSize : 0;
      if (frame.timestamp === this.backlogEnd && this.backlog.size === 0 && queued === 0 && !this.closed) {
        this.present(frame, null);
      } else {
        frame.close();
      }
      return;
    }
    const origin = this.timeline.take(frame.timestamp);
    if (this.closed) {
      frame.close();
      return;
    }
    if (this.catchingUp) {
      const queued = this.decoder ? this.decoder.decodeQueueSize : 0;
      if (queued > 1) {
        // Still working through what arrived while the backlog decoded: a newer picture is already waiting, so this
        // one would reach the screen late and in a burst; the first picture shown is one at the live edge.
        this.stats.catchUpSkipped += 1;
        frame.close();
        return;
      }
      this.catchingUp = false;
    }
    if (!this.hasAudio) {
      this.present(frame, origin);
      return;
    }
    this.clock.schedule('video', frame.timestamp, () => this.present(frame, origin));
  }

  /**
   * @param {VideoFrame} frame
   * @param {FrameOrigin | null} origin
   */
  present(frame, origin) {
    if (this.closed) {
      frame.close();
      return;
    }
    if (origin) {
      this.decoded.add({ timestampUs: frame.timestamp, ...origin });
      this.lastWritten = origin;
    }
    this.writer.write(frame).catch(() => frame.close());
    if (this.hasAudio) {
      this.stats.playoutDelayMs = this.clock.playoutDelayMs;
    }
  }

  /** @param {AudioData} data */
  presentAudio(data) {
    const writer = this.audioWriter;
    if (this.closed || !writer) {
      data.close();
      return;
    }
    writer.write(data).catch(() => data.close());
    this.stats.audioDataWritten += 1;
    this.stats.avOffsetMs = this.clock.avOffsetMs;
    this.stats.playoutDelayMs = this.clock.playoutDelayMs;
    this.stats.audioSkipped = this.clock.audioSkipped;
  }

  /** Hands decoded (or PCM) audio to the PlayoutClock. @param {AudioData} data */
  scheduleAudio(data) {
    this.clock.schedule('audio', data.timestamp, () => this.presentAudio(data), data.duration, () => data.close());
  }

  /**
   * Called for each presented frame (requestVideoFrameCallback). Returns the frame's origin or null.
   * @param {VideoFrameCallbackMetadata} metadata
   */
  onPresented(metadata) {
    // A MediaStream <video> reports the VideoFrame timestamp as mediaTime; fall back to the newest frame.
    const exact = this.decoded.take(metadata.mediaTime * 1e6);
    if (exact) {
      this.stats.matchedByTimestamp += 1;
      if (this.hasAudio) {
        this.clock.onVideoDisplayed(metadata.mediaTime * 1e6, metadata.expectedDisplayTime);
      }
      return exact;
    }
    this.stats.matchedByNewest += 1;
    return this.takeLatest();
  }

  /**
   * An audioFormat message: PCM frames become AudioData as they are, AAC frames are decoded by an AudioDecoder; either
   * plays as an audio track of the same MediaStream.
   * @param {AudioFormatMessage} format
   */
  configureAudio(format) {
    this.removeAudio();
    const pcm = format.codec === 'pcm';
    if (!('AudioData' in window) || (!pcm && !('AudioDecoder' in window))) {
      return;
    }
    this.audioGenerator = new MediaStreamTrackGenerator({ kind: 'audio' });
    this.audioWriter = this.audioGenerator.writable.getWriter();
    this.clock.reset();
    this.stream.addTrack(this.audioGenerator);
    if (pcm) {
      this.pcm = { sampleRate: format.sampleRate, channels: format.channels };
      return;
    }
    const description = decodeDescription(format);
    this.audioDecoder = new AudioDecoder({
      output: (data) => this.scheduleAudio(data),
      error: (error) => {
        this.stats.lastError = String(error);
      },
    });
    this.audioDecoder.configure({
      codec: format.codecString, sampleRate: format.sampleRate, numberOfChannels: format.channels, description,
    });
  }

  /** @param {MediaFrame} frame */
  appendAudio(frame) {
    if (this.pcm) {
      this.appendPcm(frame, this.pcm);
      return;
    }
    const decoder = this.audioDecoder;
    if (!decoder || decoder.state !== 'configured') {
      return;
    }
    decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: frame.timestampUs, data: frame.payload }));
  }

  /**
   * One frame of interleaved 16-bit PCM: wrapped in AudioData (which copies it) and scheduled like decoded audio.
   * @param {MediaFrame} frame
   * @param {{ sampleRate: number, channels: number }} format
   */
  appendPcm(frame, format) {
    const bytesPerFrame = 2 * format.channels;
    const numberOfFrames = frame.payload.byteLength / bytesPerFrame;
    if (!Number.isInteger(numberOfFrames) || numberOfFrames === 0) {
      this.stats.lastError = `PCM frame of ${frame.payload.byteLength} bytes is not whole ${format.channels}-channel samples`;
      return;
    }
    let data;
    try {
      data = new AudioData({
        format: 's16',
        sampleRate: format.sampleRate,
        numberOfChannels: format.channels,
        numberOfFrames,
        timestamp: frame.timestampUs,
        data: frame.payload,
      });
    } catch (error) {
      this.stats.lastError = String(error);
      return;
    }
    this.scheduleAudio(data);
  }

  removeAudio() {
    if (this.audioDecoder && this.audioDecoder.state !== 'closed') {
      this.audioDecoder.close();
    }
    if (this.audioGenerator) {
      this.audioWriter?.close().catch(() => {});
      this.audioGenerator.stop();
      if (this.video.srcObject) {
        this.stream.removeTrack(this.audioGenerator);
      }
    }
    this.audioDecoder = null;
    this.audioGenerator = null;
    this.audioWriter = null;
    this.pcm = null;
    this.stats.avOffsetMs = null;
    this.stats.playoutDelayMs = null;
  }

  takeLatest() {
    const latest = this.lastWritten;
    this.lastWritten = null;
    return latest;
  }

  close() {
    this.closed = true;
    this.removeAudio();
    if (this.decoder && this.decoder.state !== 'closed') {
      this.decoder.close();
    }
    this.writer.close().catch(() => {});
    this.generator.stop();
    this.video.srcObject = null;
  }
}
