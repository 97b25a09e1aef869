// @ts-check
// The live viewer of one mirroring session: /view/{id}[?mode=webrtc|webcodecs|mse][&token=…], or of whatever is
// mirrored (a room display): /view/?token=… with a receiver-wide viewing link. WebRTC (through Janus) is the default
// when the receiver has it for the session; otherwise WebCodecs (secure contexts) or MSE.

import {
  KIND_AUDIO_INIT, KIND_AUDIO_MEDIA, KIND_INIT, KIND_MEDIA, parseControl, parseFrame, volumeFromDb,
} from './protocol.js';
import { CastPlayer } from './cast-player.js';
import { MsePlayer } from './mse-player.js';
import { PinFeed } from './pin-feed.js';
import { SecureNotice } from './secure-notice.js';
import { ViewerStats } from './stats.js';
import { tokenQuery, viewTarget } from './view-target.js';
import { WebCodecsPlayer } from './webcodecs-player.js';
import { CLOSE_WEBRTC_UNAVAILABLE, WebRtcPlayer, webRtcBootstrap } from './webrtc-player.js';

const MESSAGES = {
  waiting: 'Waiting for a sender…',
  ended: 'Stream ended',
  h265: 'This browser cannot decode H.265',
  unsupported: 'This browser cannot decode this stream',
  refused: 'This viewing link is not valid (expired or revoked): ask for a new one',
  full: 'Too many viewers: this page tries again in a moment',
};
/** Close code of a media socket refused because the session or the receiver has as many viewers as it takes. */
const CLOSE_FULL = 4001;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10000;
/** The close reason of the WebRTC signalling socket when Janus is down (other reasons are final). */
const JANUS_UNAVAILABLE = 'webrtc: Janus unavailable';
/** How often a page that fell back because Janus was down asks whether it is back. */
const JANUS_CHECK_MS = 3000;

/** @typedef {import('./protocol.js').VideoFormatMessage} VideoFormatMessage */
/** @typedef {import('./protocol.js').AudioFormatMessage} AudioFormatMessage */
/** @typedef {'mse' | 'webcodecs' | 'webrtc'} PlayerMode */
/** @type {Record<PlayerMode, string>} */
const MODE_NAMES = { webrtc: 'WebRTC', webcodecs: 'WebCodecs', mse: 'MSE' };

/**
 * @template {Element} T
 * @param {ParentNode} root
 * @param {string} selector
 * @returns {T}
 */
function element(root, selector) {
  const found = root.querySelector(selector);
  if (!found) {
    throw new Error(`viewer page without ${selector}`);
  }
  return /** @type {T} */ (found);
}

class Viewer {
  /** @param {HTMLElement} root */
  constructor(root) {
    /** @type {HTMLVideoElement} */
    this.video = element(root, 'video');
    /** @type {HTMLElement} */
    this.message = element(root, '[data-role=message]');
    /** @type {HTMLElement} */
    this.overlay = element(root, '[data-role=stats]');
    /** @type {HTMLButtonElement} */
    this.modeButton = element(root, '[data-action=mode]');
    const params = new URLSearchParams(location.search);
    // A room display shows the newest session, and the next one after it ends.
    const target = viewTarget();
    this.sessionId = target.sessionId;
    this.room = target.room;
    this.token = target.token;
    const requested = (params.get('mode') || '').toLowerCase();
    this.explicitMode = requested === 'mse' || requested === 'webcodecs' || (requested === 'webrtc' && WebRtcPlayer.available());
    /** The WebSocket player used when WebRTC is not available. @type {PlayerMode} */
    this.fallbackMode = WebCodecsPlayer.available() ? 'webcodecs' : 'mse';
    // The page says up front whether the receiver has WebRTC (no signalling socket is opened to learn it).
    const bootstrap = webRtcBootstrap();
    /** Set when the receiver said WebRTC is not available: the page stays on the WebSocket players. */
    this.webrtcUnavailable = bootstrap === 'off' || bootstrap === 'unreachable' || bootstrap === 'none';
    /** Why the receiver has no WebRTC for this page (the page's word or the close reason), kept for a look from the console. */
    this.webrtcReason = { off: 'webrtc: not configured', unreachable: JANUS_UNAVAILABLE, none: 'webrtc: not for this session', on: '', '': '' }[bootstrap];
    /** @type {PlayerMode} */
    this.mode = this.explicitMode ? /** @type {PlayerMode} */ (requested)
      : (WebRtcPlayer.available() && !this.webrtcUnavailable ? 'webrtc' : this.fallbackMode);
    if (bootstrap === 'unreachable' && !this.explicitMode && WebRtcPlayer.available()) {
      this.waitForJanus();
    }
    /** Times the page went back to WebRTC after Janus returned. */
    this.webrtcReturns = 0;
    /** @type {WebRtcPlayer | null} */
    this.webrtc = null;
    this.lowDelay = params.get('lowDelay') !== '0';
    // ?audio=aac asks for AAC-LC in WebCodecs mode too (it gets PCM otherwise); MSE always gets AAC-LC.
    this.aacAudio = params.get('audio') === 'aac';
    this.stats = new ViewerStats();
    // For tests and for a look from the console.
    Object.assign(window, { __viewerStats: this.stats, __viewer: this });
    // The session's audio track (announced before or after the video format) and the sender's volume.
    /** @type {{ format: AudioFormatMessage | null, init: Uint8Array<ArrayBuffer> | null }} */
    this.audio = { format: null, init: null };
    /** @type {number | null} */
    this.volumeDb = null;
    /** @type {WebSocket | null} */
    this.socket = null;
    /** @type {MsePlayer | WebCodecsPlayer | null} */
    this.player = null;
    /** @type {CastPlayer | null} a video cast to the receiver, when the session is one */
    this.cast = null;
    this.chain = Promise.resolve();
    this.retryMs = RETRY_MIN_MS;
    this.everPlayed = false;
    this.finished = false;
    this.stats.mode = this.mode;

    element(root, '[data-action=fullscreen]').addEventListener('click', () => this.toggleFullscreen());
    element(root, '[data-action=stats]').addEventListener('click', () => this.overlay.toggleAttribute('hidden'));
    this.modeButton.addEventListener('click', () => this.switchMode(this.nextMode(), true));
    this.video.addEventListener('dblclick', () => this.toggleFullscreen());
    this.video.requestVideoFrameCallback((now, metadata) => this.onFrame(now, metadata));
    setInterval(() => this.renderStats(), 500);
    this.renderMode();
  }

  start() {
    this.connect();
  }

  connect() {
    if (this.finished) {
      return;
    }
    this.setState(this.everPlayed ? 'reconnecting' : 'connecting');
    if (!this.everPlayed) {
      this.show(MESSAGES.waiting);
    }
    if (this.mode === 'webrtc') {
      this.connectWebRtc();
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = `mode=${this.mode}${this.lowDelay ? '' : '&lowDelay=0'}${this.aacAudio ? '&audio=aac' : ''}${tokenQuery(this.token, '&')}`;
    const socket = new WebSocket(`${scheme}//${location.host}${this.mediaPath()}?${query}`);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.retryMs = RETRY_MIN_MS;
      this.stats.connectedMs = performance.now();
    };
    socket.onmessage = (event) => {
      if (socket !== this.socket) {
        return;
      }
      const data = event.data;
      this.chain = this.chain.then(() => this.handle(data)).catch((error) => {
        this.stats.lastError = String(error);
      });
    };
    socket.onclose = (event) => {
      if (socket !== this.socket) {
        return;
      }
      this.socket = null;
      this.onClosed(event, opened);
    };
  }

  /** Signalling through the receiver: Janus's offer in, the page's answer out; the picture and sound come over WebRTC. */
  connectWebRtc() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/ws/sessions/${encodeURIComponent(this.sessionId)}/webrtc${tokenQuery(this.token, '?')}`);
    this.socket = socket;
    const player = this.webrtc || new WebRtcPlayer(this.video);
    this.webrtc = player;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.stats.connectedMs = performance.now();
    };
    socket.onmessage = async (event) => {
      if (socket !== this.socket || typeof event.data !== 'string') {
        return;
      }
      try {
        const message = JSON.parse(event.data);
        if (message.type === 'offer' && typeof message.sdp === 'string') {
          const answer = await player.answer(message.sdp);
          if (socket.readyState === WebSocket.OPEN) {
            socket.send(JSON.stringify({ type: 'answer', sdp: answer }));
          }
        } else if (message.type === 'started') {
          player.started = true;
          this.retryMs = RETRY_MIN_MS;
          this.stats.codec = 'WebRTC (H.264, Opus)';
          this.setState('playing');
        }
      } catch (error) {
        this.stats.lastError = String(error);
        socket.close(1000, 'signalling failed');
      }
    };
    socket.onclose = (event) => {
      if (socket !== this.socket) {
        return;
      }
      this.socket = null;
      if (event.code === CLOSE_WEBRTC_UNAVAILABLE) {
        // Janus is off, gone or has no stream for this session: play it over the WebSocket instead.
        this.webrtcUnavailable = true;
        this.webrtcReason = event.reason || 'webrtc unavailable';
        this.switchMode(this.fallbackMode, false);
        if (event.reason === JANUS_UNAVAILABLE) {
          this.waitForJanus();
        }
        return;
      }
      player.close();
      this.onClosed(event, opened);
    };
  }

  /** While Janus is down the page plays over the WebSocket; it asks /readyz now and then and goes back to WebRTC when Janus is. */
  waitForJanus() {
    const check = async () => {
      if (this.finished || !this.webrtcUnavailable || this.mode === 'webrtc') {
        return;
      }
      const janus = await fetch('/readyz', { cache: 'no-store' }).then((r) => r.json(), () => null).then((r) => (r && typeof r.janus === 'string' ? r.janus : ''), () => '');
      if (janus === 'reachable' && !this.finished && this.webrtcUnavailable) {
        this.webrtcUnavailable = false;
        this.webrtcReason = '';
        this.webrtcReturns += 1;
        this.switchMode('webrtc', false);
        return;
      }
      setTimeout(check, JANUS_CHECK_MS);
    };
    setTimeout(check, JANUS_CHECK_MS);
  }

  /** The mode the toolbar button switches to. @returns {PlayerMode} */
  nextMode() {
    /** @type {PlayerMode[]} */
    const modes = WebRtcPlayer.available() && !this.webrtcUnavailable ? ['webrtc', 'webcodecs', 'mse'] : ['webcodecs', 'mse'];
    return modes[(modes.indexOf(this.mode) + 1) % modes.length] || 'mse';
  }

  mediaPath() {
    return `/ws/sessions/${encodeURIComponent(this.sessionId)}/media`;
  }


  /**
   * @param {CloseEvent} event
   * @param {boolean} opened  whether the socket was ever open
   */
  async onClosed(event, opened) {
    if (this.finished) {
      return;
    }
    if (event.code === 4000 && !this.room) {
      this.end();
      return;
    }
    if (event.code === 4000) {
      // A room display waits for the next session.
      this.closePlayer();
      this.everPlayed = false;
      this.retryMs = RETRY_MIN_MS;
    }
    if (event.code === CLOSE_FULL) {
      // The reason says which cap ("full: this session has 16 viewers, the most it takes"); wait the longest before retrying.
      this.setState('full');
      this.show(event.reason ? `Too many viewers (${event.reason.replace(/^full: /, '')}): this page tries again in a moment` : MESSAGES.full);
      this.stats.reconnects += 1;
      this.retryMs = RETRY_MAX_MS;
      setTimeout(() => this.connect(), RETRY_MAX_MS);
      return;
    }
    if (!opened) {
      // Tell "no such session" (404) and "not allowed" (401, 403) from a network failure: the endpoint answers plain GETs.
      const status = await fetch(`${this.mediaPath()}${tokenQuery(this.token, '?')}`, { cache: 'no-store' }).then((r) => r.status, () => 0);
      if (status === 404 && this.everPlayed && !this.room) {
        this.end();
        return;
      }
      if (status === 404) {
        this.setState('waiting');
        this.show(MESSAGES.waiting);
      }
      if (status === 401 || status === 403) {
        this.setState('refused');
        this.show(MESSAGES.refused);
      }
    }
    this.stats.reconnects += 1;
    const delay = this.retryMs;
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
    setTimeout(() => this.connect(), delay);
  }

  /** @param {string | ArrayBuffer} data  a WebSocket message */
  async handle(data) {
    if (typeof data === 'string') {
      const message = parseControl(data);
      if (message && message.type === 'format') {
        await this.onFormat(message);
      } else if (message && message.type === 'audioFormat') {
        this.audio = { format: message, init: null };
        this.stats.audioCodec = message.codecString;
        if (this.player) {
          this.player.configureAudio(message);
        }
      } else if (message && message.type === 'audioEnded') {
        this.audio = { format: null, init: null };
        this.stats.audioCodec = null;
        if (this.player) {
          this.player.removeAudio();
        }
      } else if (message && message.type === 'volume') {
        this.applyVolume(message.db);
      } else if (message && message.type === 'cast') {
        this.onCast(message);
      }
      return;
    }
    const frame = parseFrame(data);
    if (frame.kind === KIND_AUDIO_INIT) {
      // Kept for a player created later (the audio track may be announced before the video format).
      this.audio.init = frame.payload;
    }
    if (!this.player) {
      return;
    }
    this.stats.onBytes(data.byteLength);
    if (frame.kind === KIND_INIT) {
      this.player.appendInit(frame.payload);
    } else if (frame.kind === KIND_MEDIA) {
      this.stats.onVideoMessage(frame);
      this.player.appendMedia(frame);
    } else if (frame.kind === KIND_AUDIO_INIT) {
      this.player.appendAudioInit(frame.payload);
    } else if (frame.kind === KIND_AUDIO_MEDIA) {
      this.stats.audioFrames = (this.stats.audioFrames || 0) + 1;
      this.stats.lastAudioTimestampUs = frame.timestampUs;
      this.stats.lastAudioSenderUnixMs = frame.senderUnixMs;
      this.player.appendAudio(frame);
    }
  }

  /** @param {VideoFormatMessage} format */
  async onFormat(format) {
    const h265 = format.codec === 'h265';
    /** @type {PlayerMode} */
    let mode = this.mode;
    if (h265 && !this.explicitMode) {
      mode = 'mse';
    }
    const supported = mode === 'mse' ? MsePlayer.supports(format) : await WebCodecsPlayer.supports(format);
    if (!supported) {
      const other = mode === 'mse' ? 'webcodecs' : 'mse';
      const otherSupported = other === 'mse' ? MsePlayer.supports(format) : await WebCodecsPlayer.supports(format);
      if (!otherSupported) {
        this.unsupported(h265);
        return;
      }
      mode = other;
    }
    if (mode !== this.mode) {
      this.switchMode(mode, false);
      return;
    }
    if (!this.player) {
      this.player = mode === 'mse' ? new MsePlayer(this.video, this.stats) : new WebCodecsPlayer(this.video, this.stats);
      if (this.audio.format) {
        this.player.configureAudio(this.audio.format);
        if (this.audio.init) {
          this.player.appendAudioInit(this.audio.init);
        }
      }
    }
    this.stats.codec = format.codecString;
    this.stats.lowDelay = format.lowDelay === true;
    this.stats.formatChanges += 1;
    this.player.configure(format);
    this.setState('playing');
  }

  /** A cast session's timeline. @param {import('./cast-player.js').CastMessage} message */
  onCast(message) {
    if (!this.cast) {
      const socket = this.socket;
      this.cast = new CastPlayer(
        this.video,
        (report) => {
          if (this.socket && this.socket.readyState === WebSocket.OPEN) {
            this.socket.send(JSON.stringify(report));
          }
        },
        (text) => (text === null ? this.hide() : this.show(text)),
        this.token,
      );
      this.everPlayed = socket !== null;
      Object.assign(window, { __cast: this.cast });
    }
    this.setState(message.state.startsWith('failed') ? 'failed' : `cast-${message.state}`);
    document.body.dataset.castState = message.state;
    if (message.title) {
      document.title = message.title;
    }
    this.cast.update(message);
  }

  /** @param {unknown} db */
  applyVolume(db) {
    if (typeof db !== 'number') {
      return;
    }
    this.volumeDb = db;
    this.stats.volumeDb = db;
    this.video.volume = volumeFromDb(db);
  }

  /**
   * requestVideoFrameCallback: a frame was presented.
   * @param {DOMHighResTimeStamp} _now
   * @param {VideoFrameCallbackMetadata} metadata
   */
  onFrame(_now, metadata) {
    this.video.requestVideoFrameCallback((n, m) => this.onFrame(n, m));
    if (!this.player && !(this.mode === 'webrtc' && this.webrtc)) {
      return;
    }
    const origin = this.player ? this.player.onPresented(metadata) : null;
    this.stats.onPresented(performance.timeOrigin + metadata.expectedDisplayTime, origin);
    this.stats.width = metadata.width || this.video.videoWidth;
    this.stats.height = metadata.height || this.video.videoHeight;
    if (!this.everPlayed) {
      this.everPlayed = true;
      this.hide();
    }
  }

  /**
   * @param {PlayerMode} mode
   * @param {boolean} byUser  the toolbar button (remembered in the address) rather than the stream's codec
   */
  switchMode(mode, byUser) {
    if (byUser) {
      this.explicitMode = true;
      const url = new URL(location.href);
      url.searchParams.set('mode', mode);
      history.replaceState(null, '', url);
    }
    this.mode = mode;
    this.stats.mode = mode;
    this.renderMode();
    this.closePlayer();
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      socket.close(1000, 'mode change');
    }
    this.retryMs = RETRY_MIN_MS;
    this.connect();
  }

  closePlayer() {
    if (this.cast) {
      this.cast.close();
      this.cast = null;
    }
    if (this.webrtc) {
      this.webrtc.close();
      this.webrtc = null;
    }
    if (this.player) {
      this.player.close();
      this.player = null;
    }
    this.chain = Promise.resolve();
  }

  end() {
    this.finished = true;
    this.setState('ended');
    this.show(MESSAGES.ended);
    this.closePlayer();
  }

  /** @param {boolean} h265 */
  unsupported(h265) {
    this.finished = true;
    this.setState('unsupported');
    this.show(h265 ? MESSAGES.h265 : MESSAGES.unsupported);
    if (this.socket) {
      this.socket.close(1000, 'unsupported codec');
    }
    this.closePlayer();
  }

  /** @param {string} state */
  setState(state) {
    this.stats.state = state;
    document.body.dataset.state = state;
  }

  /** @param {string} text */
  show(text) {
    this.message.textContent = text;
    this.message.hidden = false;
  }

  hide() {
    this.message.hidden = true;
  }

  toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    } else {
      document.documentElement.requestFullscreen().catch(() => {});
    }
  }

  renderMode() {
    this.modeButton.textContent = MODE_NAMES[this.mode];
    this.modeButton.title = `Playing with ${this.mode === 'mse' ? 'Media Source Extensions' : MODE_NAMES[this.mode]}; click to switch`;
  }

  renderStats() {
    this.stats.tick();
    if (this.player && this.player.mode === 'mse' && this.video.getVideoPlaybackQuality) {
      const quality = this.video.getVideoPlaybackQuality();
      this.stats.decoderDropped = quality.droppedVideoFrames;
    }
    if (this.overlay.hidden) {
      return;
    }
    const rows = this.stats.summary().map(([name, value]) => {
      const row = document.createElement('div');
      const label = document.createElement('span');
      const text = document.createElement('span');
      label.textContent = name;
      text.textContent = value;
      row.append(label, text);
      return row;
    });
    this.overlay.replaceChildren(...rows);
  }
}

new Viewer(document.body).start();
new PinFeed(element(document.body, '[data-role=pin-overlay]')).start();
new SecureNotice(element(document.body, '[data-role=secure-notice]')).start();
