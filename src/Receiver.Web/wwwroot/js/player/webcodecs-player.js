// @ts-check
// WebCodecs player: each access unit is decoded whole with VideoDecoder (optimizeForLatency) and the
// frames are written to a MediaStreamTrackGenerator shown by the <video> element (srcObject). With an audio
// track, decoded audio and video are handed to their generators by timestamp on a shared PlayoutClock.

import { FrameTimeline } from './frame-timeline.js';
import { PlayoutClock } from './playout-clock.js';
import { decodeDescription } from './protocol.js';

const MAX_DECODE_QUEUE = 30;

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
    if (!frame.keyframe && (this.waitingForKeyframe || decoder.decodeQueueSize > MAX_DECODE_QUEUE)) {
      this.waitingForKeyframe = true;
      this.stats.droppedFrames += 1;
      return;
    }
    this.waitingForKeyframe = false;
    this.timeline.add(frame);
    decoder.decode(new EncodedVideoChunk({
      type: frame.keyframe ? 'key' : 'delta',
      timestamp: frame.timestampUs,
      data: frame.payload,
    }));
  }

  /** @param {VideoFrame} frame */
  output(frame) {
    this.stats.framesDecoded += 1;
    const origin = this.timeline.take(frame.timestamp);
    if (this.closed) {
      frame.close();
      return;
    }
    if (!this.audioDecoder) {
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
  }

  /** @param {AudioData} data */
  presentAudio(data) {
    const writer = this.audioWriter;
    if (this.closed || !writer) {
      data.close();
      return;
    }
    writer.write(data).catch(() => data.close());
    this.stats.avOffsetMs = this.clock.avOffsetMs;
    this.stats.playoutDelayMs = this.clock.delayMs;
    this.stats.audioSkipped = this.clock.audioSkipped;
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
      if (this.audioDecoder) {
        this.clock.onVideoDisplayed(metadata.mediaTime * 1e6, metadata.expectedDisplayTime);
      }
      return exact;
    }
    this.stats.matchedByNewest += 1;
    return this.takeLatest();
  }

  /**
   * An audioFormat message: AAC frames are decoded by an AudioDecoder into an audio track of the same MediaStream.
   * @param {AudioFormatMessage} format
   */
  configureAudio(format) {
    this.removeAudio();
    if (!('AudioDecoder' in window)) {
      return;
    }
    const description = decodeDescription(format);
    this.audioGenerator = new MediaStreamTrackGenerator({ kind: 'audio' });
    this.audioWriter = this.audioGenerator.writable.getWriter();
    this.clock.reset();
    this.audioDecoder = new AudioDecoder({
      output: (data) => this.clock.schedule('audio', data.timestamp, () => this.presentAudio(data), data.duration, () => data.close()),
      error: (error) => {
        this.stats.lastError = String(error);
      },
    });
    this.audioDecoder.configure({
      codec: format.codecString, sampleRate: format.sampleRate, numberOfChannels: format.channels, description,
    });
    this.stream.addTrack(this.audioGenerator);
  }

  /** @param {MediaFrame} frame */
  appendAudio(frame) {
    const decoder = this.audioDecoder;
    if (!decoder || decoder.state !== 'configured') {
      return;
    }
    decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: frame.timestampUs, data: frame.payload }));
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
    this.stats.avOffsetMs = null;
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
