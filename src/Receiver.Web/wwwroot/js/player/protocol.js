// Wire format of the media WebSocket (see src/Receiver.Web/Media/MediaFrameHeader.cs).
// Text messages are JSON ({type:"format", ...}); binary messages start with a 40-byte big-endian header.

export const KIND_INIT = 1;
export const KIND_MEDIA = 2;
export const KIND_AUDIO_INIT = 3;
export const KIND_AUDIO_MEDIA = 4;

/** Parses one binary message. Times are returned as milliseconds since 1970 (0 = unknown). */
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
    sequence: view.getUint32(4),
    timestampUs: Number(view.getBigInt64(8)),
    senderUnixMs: sender > 0n ? Number(sender) / 1000 : 0,
    receivedUnixMs: received > 0n ? Number(received) / 1000 : 0,
    sentUnixMs: Number(view.getBigInt64(32)) / 1000,
    payload: new Uint8Array(buffer, headerLength),
  };
}

/** Parses a text message; returns null for anything that is not a known control message. */
export function parseControl(text) {
  const message = JSON.parse(text);
  return message && typeof message.type === 'string' ? message : null;
}

/** The MSE mime type of a format message. */
export function mimeType(format) {
  return `video/mp4; codecs="${format.codecString}"`;
}

/** The MSE mime type of an audioFormat message. */
export function audioMimeType(format) {
  return `audio/mp4; codecs="${format.codecString}"`;
}

/** The sender's volume in dB (−144 = mute) as an HTMLMediaElement volume. */
export function volumeFromDb(db) {
  if (!(db > -144)) {
    return 0;
  }
  return Math.min(1, Math.max(0, Math.pow(10, db / 20)));
}

/** The avcC/hvcC record of a format message as bytes. */
export function decodeDescription(format) {
  const binary = atob(format.description || '');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}
