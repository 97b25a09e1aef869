// @ts-check
// Plays a video cast to the receiver (AirPlay POST /play) in the page's <video>, following the receiver's timeline,
// and reports what the page measures so the receiver can answer the sender's /playback-info truthfully.

import { tokenQuery } from './view-target.js';

/**
 * @typedef {object} CastMessage
 * @property {'cast'} type
 * @property {string} url       what to play
 * @property {'file' | 'hls'} media
 * @property {string | null} title
 * @property {string} state     loading, playing, paused, ended or "failed: reason"
 * @property {number} position  seconds on the receiver's timeline when the message was sent
 * @property {number} rate      1 while playing, 0 otherwise
 * @property {number} duration  seconds, 0 while unknown
 * @property {number} version   increases with each change the page must apply (start, pause, resume, seek)
 */

/** Where the receiver serves hls.js (copied from npm, see package.json). */
const HLS_MODULE = '/lib/hls/hls.mjs';

/**
 * The part of hls.js this page uses.
 * @typedef {{ loadSource(url: string): void, attachMedia(video: HTMLMediaElement): void, on(event: string, handler: (event: string, data: { fatal?: boolean, details?: string, type?: string }) => void): void, destroy(): void }} HlsInstance
 * @typedef {{ isSupported(): boolean, Events: { ERROR: string }, new (config?: object): HlsInstance }} HlsClass
 */

/** How often the page reports, in ms. */
const REPORT_MS = 250;
/** Beyond this distance from the timeline (seconds) the page seeks; below it, it steers its playback rate. */
const SEEK_BEYOND = 0.5;
/** Within this distance the page plays at rate 1. */
const CLOSE_ENOUGH = 0.04;

export class CastPlayer {
  /**
   * @param {HTMLVideoElement} video
   * @param {(report: object) => void} send  sends a report to the receiver
   * @param {(text: string | null) => void} show  shows a message on the page (null hides it)
   * @param {string} token  the page's viewing token ('' for none): it goes with every playlist and segment request
   */
  constructor(video, send, show, token) {
    this.token = token;
    this.video = video;
    this.send = send;
    this.show = show;
    /** @type {CastMessage | null} */
    this.timeline = null;
    this.receivedAt = 0;
    this.appliedVersion = 0;
    /** @type {string | null} */
    this.url = null;
    /** @type {string | null} */
    this.error = null;
    /** @type {HlsInstance | null} */
    this.hls = null;
    this.timer = setInterval(() => this.tick(), 100);
    this.reporter = setInterval(() => this.report(), REPORT_MS);
    this.onError = () => {
      const code = this.video.error ? this.video.error.code : 0;
      this.error = code === 4 ? 'the video could not be loaded or its format is not supported' : code === 2 ? 'the video could not be downloaded' : 'the video could not be decoded';
    };
    this.video.addEventListener('error', this.onError);
  }

  /** The receiver's latest timeline. @param {CastMessage} message */
  update(message) {
    this.timeline = message;
    this.receivedAt = performance.now();
    if (message.state.startsWith('failed')) {
      this.show(`Cannot play this video (${message.state.replace(/^failed: /, '')})`);
      this.video.pause();
      return;
    }
    if (this.url !== message.url) {
      this.url = message.url;
      this.error = null;
      // A cast plays with its sound; a browser that allows no sound before a click gets it muted until one.
      this.video.muted = false;
      this.load(message);
      this.show(message.title ? `Loading ${message.title}…` : 'Loading the video…');
    }
    if (message.version !== this.appliedVersion) {
      this.appliedVersion = message.version;
      if (Math.abs(this.video.currentTime - message.position) > CLOSE_ENOUGH) {
        this.video.currentTime = message.position;
      }
    }
    this.tick();
  }

  /**
   * Starts loading the video: a file with <video src>, HLS with hls.js where the browser needs it, natively elsewhere.
   * @param {CastMessage} message
   */
  load(message) {
    if (message.media !== 'hls') {
      this.video.src = message.url;
      this.video.currentTime = message.position;
      return;
    }
    const url = message.url;
    const moduleUrl = HLS_MODULE;
    import(moduleUrl).then((/** @type {{ default: HlsClass }} */ module) => {
      const Hls = module.default;
      if (this.url !== url) {
        return;
      }
      if (!Hls.isSupported() && this.video.canPlayType('application/vnd.apple.mpegurl')) {
        this.video.src = url;
        this.video.currentTime = message.position;
        return;
      }
      const token = this.token;
      const hls = new Hls({
        startPosition: message.position,
        maxBufferLength: 30,
        // The receiver's playlists and segments need the page's viewing token, like its WebSocket; segments fetched
        // straight from their origin never get it (hls.js opens those requests itself).
        xhrSetup: token
          ? (/** @type {XMLHttpRequest} */ xhr, /** @type {string} */ address) => {
            if (new URL(address, location.href).origin === location.origin) {
              xhr.open('GET', address + tokenQuery(token, address.includes('?') ? '&' : '?'), true);
            }
          }
          : undefined,
      });
      this.hls = hls;
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) {
          this.error = `the video cannot be played (${data.details || data.type || 'error'})`;
        }
      });
      hls.loadSource(url);
      hls.attachMedia(this.video);
    }, () => {
      this.error = 'the HLS player could not be loaded';
    });
  }

  /** Where the receiver's timeline is now, in seconds. */
  expected() {
    const t = this.timeline;
    if (!t) {
      return 0;
    }
    const position = t.state === 'playing' ? t.position + (t.rate * (performance.now() - this.receivedAt)) / 1000 : t.position;
    return t.duration > 0 ? Math.min(position, t.duration) : position;
  }

  tick() {
    const t = this.timeline;
    if (!t || t.state.startsWith('failed') || this.video.readyState < 1) {
      return;
    }
    if (t.state === 'paused' || t.state === 'ended' || (t.state === 'loading' && t.rate === 0)) {
      if (!this.video.paused) {
        this.video.pause();
      }
      this.video.playbackRate = 1;
      if (!this.video.seeking && Math.abs(this.video.currentTime - t.position) > CLOSE_ENOUGH && t.state !== 'ended') {
        this.video.currentTime = t.position;
      }
      return;
    }
    if (this.video.paused && !this.video.ended) {
      this.video.play().then(() => this.show(null), (/** @type {unknown} */ error) => {
        if (error instanceof DOMException && error.name === 'NotAllowedError' && !this.video.muted) {
          this.video.muted = true;
          document.addEventListener('click', () => { this.video.muted = false; }, { once: true });
        }
      });
    }
    if (t.state === 'loading' || this.video.seeking) {
      return;
    }
    const drift = this.expected() - this.video.currentTime;
    if (Math.abs(drift) > SEEK_BEYOND) {
      this.video.currentTime = this.expected() + 0.05;
    } else if (Math.abs(drift) > CLOSE_ENOUGH) {
      this.video.playbackRate = 1 + Math.max(-0.3, Math.min(0.3, drift));
    } else {
      this.video.playbackRate = 1;
    }
  }

  report() {
    if (!this.timeline) {
      return;
    }
    const v = this.video;
    /** @param {TimeRanges} ranges */
    const list = (ranges) => Array.from({ length: ranges.length }, (_, i) => [ranges.start(i), ranges.end(i)]);
    const duration = Number.isFinite(v.duration) ? v.duration : 0;
    this.send({
      type: 'report',
      version: this.appliedVersion,
      position: v.currentTime,
      duration,
      ready: v.readyState >= 3,
      playing: !v.paused && !v.seeking && v.readyState >= 3,
      ended: v.ended,
      error: this.error,
      buffered: list(v.buffered),
      seekable: list(v.seekable),
    });
  }

  close() {
    clearInterval(this.timer);
    clearInterval(this.reporter);
    this.video.removeEventListener('error', this.onError);
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
    this.video.pause();
    this.video.removeAttribute('src');
    this.video.load();
  }
}
