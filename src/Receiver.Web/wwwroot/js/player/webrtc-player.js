// @ts-check
// The WebRTC player: the receiver relays signalling to Janus (GET /ws/sessions/{id}/webrtc, under the viewer rules),
// Janus sends the session's H.264 and Opus over a PeerConnection, and the <video> plays the received stream with the
// browser's own jitter buffer, loss recovery and A/V sync. RTCPeerConnection needs no secure context, so this is the
// low-latency player of a plain-HTTP page.

/** Close code of the signalling socket when WebRTC is not available for the session (Janus off, gone, or not H.264). */
export const CLOSE_WEBRTC_UNAVAILABLE = 4010;

/**
 * What the receiver wrote into the page about WebRTC (<meta name="receiver-webrtc">): 'on' (try it), 'off' (no Janus),
 * 'unreachable' (Janus down for now), 'none' (not for this session), or '' when the page was served without it.
 * @returns {'on' | 'off' | 'unreachable' | 'none' | ''}
 */
export function webRtcBootstrap() {
  const meta = /** @type {HTMLMetaElement | null} */ (document.querySelector('meta[name=receiver-webrtc]'));
  const value = meta ? meta.content : '';
  return value === 'on' || value === 'off' || value === 'unreachable' || value === 'none' ? value : '';
}

export class WebRtcPlayer {
  /** True when this browser can play WebRTC, and receive H.264 over it (what the receiver sends Janus). */
  static available() {
    if (typeof RTCPeerConnection !== 'function') {
      return false;
    }
    const capabilities = typeof RTCRtpReceiver === 'function' && RTCRtpReceiver.getCapabilities ? RTCRtpReceiver.getCapabilities('video') : null;
    return !capabilities || capabilities.codecs.some((codec) => codec.mimeType.toLowerCase() === 'video/h264');
  }

  /** @param {HTMLVideoElement} video */
  constructor(video) {
    this.video = video;
    /** @type {RTCPeerConnection | null} */
    this.pc = null;
    /** @type {MediaStream} */
    this.stream = new MediaStream();
    /** Set when Janus reported the PeerConnection up. */
    this.started = false;
  }

  /**
   * Answers Janus's offer; resolves with the answer's SDP (all ICE candidates included, so no trickle is needed).
   * @param {string} sdp
   * @returns {Promise<string>}
   */
  async answer(sdp) {
    this.close();
    const pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    this.stream = new MediaStream();
    pc.ontrack = (event) => {
      this.stream.addTrack(event.track);
      if (this.video.srcObject !== this.stream) {
        this.video.srcObject = this.stream;
      }
      this.video.play().catch(() => {});
    };
    await pc.setRemoteDescription({ type: 'offer', sdp: withDecodableProfile(sdp, receiverH264Profiles()) });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') {
        resolve(undefined);
        return;
      }
      const done = () => {
        if (pc.iceGatheringState === 'complete') {
          pc.removeEventListener('icegatheringstatechange', done);
          resolve(undefined);
        }
      };
      pc.addEventListener('icegatheringstatechange', done);
      setTimeout(() => resolve(undefined), 2000);
    });
    const local = pc.localDescription;
    if (!local) {
      throw new Error('no local description');
    }
    return local.sdp;
  }

  /**
   * Inbound RTP figures of the PeerConnection, for the statistics and the tests.
   * @returns {Promise<{ videoFrames: number, audioPackets: number, audioLost: number, videoLost: number, jitterBufferMs: number | null }>}
   */
  async inbound() {
    const figures = { videoFrames: 0, audioPackets: 0, audioLost: 0, videoLost: 0, jitterBufferMs: /** @type {number | null} */ (null) };
    if (!this.pc) {
      return figures;
    }
    const report = await this.pc.getStats();
    report.forEach((entry) => {
      if (entry.type !== 'inbound-rtp') {
        return;
      }
      if (entry.kind === 'audio') {
        figures.audioPackets = entry.packetsReceived || 0;
        figures.audioLost = entry.packetsLost || 0;
      } else if (entry.kind === 'video') {
        figures.videoFrames = entry.framesDecoded || 0;
        figures.videoLost = entry.packetsLost || 0;
        if (entry.jitterBufferEmittedCount) {
          figures.jitterBufferMs = (1000 * entry.jitterBufferDelay) / entry.jitterBufferEmittedCount;
        }
      }
    });
    return figures;
  }

  close() {
    if (this.pc) {
      this.pc.ontrack = null;
      this.pc.close();
      this.pc = null;
    }
    if (this.video.srcObject === this.stream) {
      this.video.srcObject = null;
    }
    this.started = false;
  }
}

/**
 * The H.264 profiles (profile_idc and constraint flags, four hex digits such as "42e0" or "4d00") this browser's
 * WebRTC receivers list.
 * @returns {string[]}
 */
export function receiverH264Profiles() {
  const capabilities = typeof RTCRtpReceiver.getCapabilities === 'function' ? RTCRtpReceiver.getCapabilities('video') : null;
  /** @type {string[]} */
  const profiles = [];
  for (const codec of capabilities ? capabilities.codecs : []) {
    const match = /profile-level-id=([0-9a-f]{4})/i.exec(codec.sdpFmtpLine || '');
    if (codec.mimeType.toLowerCase() === 'video/h264' && match) {
      profiles.push(match[1].toLowerCase());
    }
  }
  return profiles;
}

/**
 * Janus offers the session's own H.264 profile, and a phone's screen is High profile (64xx). Chromium without a
 * hardware decoder lists no High profile and would reject the video, although its software decoder (FFmpeg) decodes
 * High pictures like any other. A browser that lists Main (4d00), a profile only full decoders take, is offered
 * Main instead (the level stays); one that lists the offered profile, or not Main, gets the offer as it is.
 * @param {string} sdp
 * @param {string[]} profiles  what the browser lists (receiverH264Profiles)
 * @returns {string}
 */
export function withDecodableProfile(sdp, profiles) {
  return sdp.replace(/(a=fmtp:\d+ [^\r\n]*profile-level-id=)([0-9a-f]{4})([0-9a-f]{2})/gi, (line, head, profile, level) =>
    profiles.includes(profile.toLowerCase()) || !profiles.includes('4d00') ? line : `${head}4d00${level}`);
}
