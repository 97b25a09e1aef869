// @ts-check
// Wire format of the media WebSocket (see src/Receiver.Web/Media/MediaFrameHeader.cs).
// Text messages are JSON ({type:"format", ...}); binary messages start with a 40-byte big-endian header.

export const KIND_INIT = 1;
export const KIND_MEDIA = 2;
export const KIND_AUDIO_INIT = 3;
export const KIND_AUDIO_MEDIA = 4;

/**
 * One binary message (MediaFrameHeader.cs). Times are milliseconds since 1970 on the receiver's wall clock.
 * @typedef {object} MediaFrame
 * @property {number} kind  KIND_INIT, KIND_MEDIA, KIND_AUDIO_INIT or KIND_AUDIO_MEDIA
 * @property {boolean} keyframe
 * @property {boolean} backlog  a picture of the GOP sent on joining: to be decoded, not shown
 * @property {boolean} backlogEnd  the backlog's last picture: shown when no live picture follows (a still screen)
 * @property {number} sequence  fragment sequence number (0 for an init segment)
 * @property {number} timestampUs  presentation timestamp in microseconds
 * @property {number} senderUnixMs  when the sender captured it (0 = unknown)
 * @property {number} receivedUnixMs  when the receiver had it whole (0 = unknown)
 * @property {number} sentUnixMs  when the receiver sent the message
 * @property {Uint8Array<ArrayBuffer>} payload
 */

/**
 * The text message before a video stream and every format change (MediaFormatMessage.cs).
 * @typedef {object} VideoFormatMessage
 * @property {'format'} type
 * @property {string} mode  'mse' or 'webcodecs'
 * @property {string} codec  'h264' or 'h265'
 * @property {string} codecString  e.g. avc1.64001f
 * @property {number} width
 * @property {number} height
 * @property {boolean} lowDelay
 * @property {string} description  base64 avcC / hvcC record
 */

/**
 * The text message that announces the audio track (AudioFormatMessage.cs). With codec 'pcm' each audio frame is
 * interleaved signed 16-bit little-endian PCM (AudioData format 's16'); with 'aac' a raw AAC frame (WebCodecs) or
 * a movie fragment (MSE).
 * @typedef {object} AudioFormatMessage
 * @property {'audioFormat'} type
 * @property {string} mode
 * @property {'aac' | 'pcm'} codec
 * @property {string} codecString  mp4a.40.2 or pcm-s16
 * @property {number} sampleRate
 * @property {number} channels
 * @property {string} description  base64 AudioSpecificConfig ('' for PCM)
 */

/**
 * @typedef {VideoFormatMessage | AudioFormatMessage | { type: 'audioEnded' } | { type: 'volume', db: number } | import('./cast-player.js').CastMessage} ControlMessage
 */

/**
 * Parses one binary message. Times are returned as milliseconds since 1970 (0 = unknown).
 * @param {ArrayBuffer} buffer
 * @returns {MediaFrame}
 */
export function parseFrame(buffer) {
  if (buffer.byteLength < 40) {
    throw new Error(`media message too short: ${buffer.byteLength} bytes`);
  }
  const view = new DataView(buffer);
  const kind = view.getUint8(0);
  const flags = view.getUint8(1);
  const headerLength = view.getUint16(2);
  if (headerLength < 40 || headerLength > buffer.byteLength) {
    throw new Error(`invalid media header length ${headerLength}`);
  }
  // When the sender captured the frame, already mapped onto the receiver's wall clock (µs since 1970, 0 = unknown).
  const sender = view.getBigInt64(16);
  const received = view.getBigInt64(24);
  return {
    kind,
    keyframe: (flags & 1) !== 0,
    backlog: (flags & 2) !== 0,
    backlogEnd: (flags & 4) !== 0,
    sequence: view.getUint32(4),
    timestampUs: Number(view.getBigInt64(8)),
    senderUnixMs: sender > 0n ? Number(sender) / 1000 : 0,
    receivedUnixMs: received > 0n ? Number(received) / 1000 : 0,
    sentUnixMs: Number(view.getBigInt64(32)) / 1000,
    payload: new Uint8Array(buffer, headerLength),
  };
}

/**
 * Parses a text message; returns null for anything that is not a control message.
 * @param {string} text
 * @returns {ControlMessage | null}
 */
export function parseControl(text) {
  const message = JSON.parse(text);
  return message && typeof message.type === 'string' ? message : null;
}

/** The MSE mime type of a format message. @param {VideoFormatMessage} format */
export function mimeType(format) {
  return `video/mp4; codecs="${format.codecString}"`;
}

/** The MSE mime type of an audioFormat message. @param {AudioFormatMessage} format */
export function audioMimeType(format) {
  return `audio/mp4; codecs="${format.codecString}"`;
}

/** The sender's volume in dB (−144 = mute) as an HTMLMediaElement volume. @param {number} db */
export function volumeFromDb(db) {
  if (!(db > -144)) {
    return 0;
  }
  return Math.min(1, Math.max(0, Math.pow(10, db / 20)));
}

/**
 * The decoder configuration of a format or audioFormat message (avcC / hvcC / AudioSpecificConfig) as bytes.
 * @param {VideoFormatMessage | AudioFormatMessage} format
 */
export function decodeDescription(format) {
  const binary = atob(format.description || '');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}
