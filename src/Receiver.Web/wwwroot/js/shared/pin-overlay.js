// @ts-check
// The PIN a pairing sender must type, shown over the page until it is used, cleared or expires
// (the dashboard and every viewer page share this).

/** @typedef {import('../dashboard/messages.js').PinOverlayMessage} PinOverlayMessage */

export class PinOverlay {
  /**
   * @param {HTMLElement} root  the overlay, with [data-role=pin], [data-role=device] and optionally [data-role=expiry] inside
   */
  constructor(root) {
    this.root = root;
    this.pin = /** @type {HTMLElement} */ (root.querySelector('[data-role=pin]'));
    this.device = /** @type {HTMLElement} */ (root.querySelector('[data-role=device]'));
    this.expiry = /** @type {HTMLElement | null} */ (root.querySelector('[data-role=expiry]'));
    /** @type {number | null} */
    this.timer = null;
    /** @type {number} */
    this.expiresAt = 0;
  }

  /** Shows `message` until its expiry, replacing any PIN shown. @param {PinOverlayMessage} message */
  show(message) {
    this.expiresAt = Date.parse(message.expiresAt);
    if (!(this.expiresAt > Date.now())) {
      this.clear();
      return;
    }
    this.pin.textContent = message.pin;
    this.device.textContent = message.deviceName;
    this.root.hidden = false;
    this.tick();
    if (this.timer === null) {
      this.timer = window.setInterval(() => this.tick(), 1000);
    }
  }

  clear() {
    this.root.hidden = true;
    this.pin.textContent = '';
    if (this.timer !== null) {
      window.clearInterval(this.timer);
      this.timer = null;
    }
  }

  tick() {
    const left = Math.round((this.expiresAt - Date.now()) / 1000);
    if (left <= 0) {
      this.clear();
      return;
    }
    if (this.expiry) {
      this.expiry.textContent = `Expires in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    }
  }
}
