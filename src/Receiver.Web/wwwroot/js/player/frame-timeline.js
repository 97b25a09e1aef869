// @ts-check
// Remembers, per presentation timestamp, when a frame was captured and received, so that a presented
// frame (requestVideoFrameCallback mediaTime or VideoFrame.timestamp) can be matched to its origin.

/** @typedef {{ senderUnixMs: number, receivedUnixMs: number }} FrameOrigin */

export class FrameTimeline {
  constructor(limit = 1200) {
    this.limit = limit;
    /** @type {Map<number, FrameOrigin>} */
    this.frames = new Map();
  }

  /** @param {{ timestampUs: number } & FrameOrigin} frame */
  add(frame) {
    this.frames.set(frame.timestampUs, { senderUnixMs: frame.senderUnixMs, receivedUnixMs: frame.receivedUnixMs });
    if (this.frames.size > this.limit) {
      const oldest = /** @type {number} */ (this.frames.keys().next().value);
      this.frames.delete(oldest);
    }
  }

  /**
   * Finds the frame at a timestamp in microseconds, allowing ±2 µs of rounding; each frame is found once.
   * @param {number} timestampUs
   * @returns {FrameOrigin | null}
   */
  take(timestampUs) {
    const base = Math.round(timestampUs);
    for (const key of [base, base - 1, base + 1, base - 2, base + 2]) {
      const info = this.frames.get(key);
      if (info) {
        this.frames.delete(key);
        return info;
      }
    }
    return null;
  }

  clear() {
    this.frames.clear();
  }
}
