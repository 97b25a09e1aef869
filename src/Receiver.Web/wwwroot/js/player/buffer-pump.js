// @ts-check
// The queue of one MSE SourceBuffer: a SourceBuffer takes one operation at a time (appendBuffer and remove run
// until its updateend), so operations wait here and pump() starts the next one when the buffer is idle.
// The MSE player has one pump for the video SourceBuffer and one for the audio SourceBuffer.

/**
 * @typedef {{ op: 'append', data: BufferSource, init?: boolean }
 *   | { op: 'remove', start: number, end: number }
 *   | { op: 'changeType', mime: string }} BufferOperation
 */

export class BufferPump {
  /** @type {MediaSource | null} */
  #mediaSource = null;
  /** @type {SourceBuffer | null} */
  #buffer = null;
  /** @type {BufferOperation[]} */
  #queue = [];
  /** @type {(error: unknown) => void} */
  #onError;

  /** @param {(error: unknown) => void} onError  called with what an operation threw (the operation is dropped) */
  constructor(onError) {
    this.#onError = onError;
  }

  /** The SourceBuffer operations go to, or null while none is attached. */
  get buffer() {
    return this.#buffer;
  }

  /** Operations waiting. */
  get length() {
    return this.#queue.length;
  }

  /**
   * Starts sending queued operations to buffer (a SourceBuffer of mediaSource).
   * @param {MediaSource} mediaSource
   * @param {SourceBuffer} buffer
   */
  attach(mediaSource, buffer) {
    this.#mediaSource = mediaSource;
    this.#buffer = buffer;
  }

  /** Queues an operation; it starts at the next pump(). @param {BufferOperation} operation */
  push(operation) {
    this.#queue.push(operation);
  }

  /**
   * Drops the waiting operations that keep() rejects; returns how many were dropped.
   * @param {(operation: BufferOperation) => boolean} keep
   */
  retain(keep) {
    const before = this.#queue.length;
    this.#queue = this.#queue.filter(keep);
    return before - this.#queue.length;
  }

  /** Forgets the buffer and what waits for it. */
  clear() {
    this.#mediaSource = null;
    this.#buffer = null;
    this.#queue = [];
  }

  /** Starts the next operation when the buffer is attached, idle and its MediaSource open. */
  pump() {
    const buffer = this.#buffer;
    if (!buffer || buffer.updating || this.#queue.length === 0 || this.#mediaSource?.readyState !== 'open') {
      return;
    }
    const next = /** @type {BufferOperation} */ (this.#queue.shift());
    try {
      if (next.op === 'append') {
        buffer.appendBuffer(next.data);
      } else if (next.op === 'changeType') {
        // Synchronous: the buffer stays idle, so go on with the next operation.
        buffer.changeType(next.mime);
        this.pump();
      } else if (next.op === 'remove') {
        buffer.remove(next.start, next.end);
      }
    } catch (error) {
      this.#onError(error);
    }
  }
}
