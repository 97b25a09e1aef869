// @ts-check
// "Share": makes a viewing link (one session, or the whole receiver for a room display), copies it, and shows it with
// its QR code so a phone or a screen in the room can open it.
import { createViewLink, getQrCode } from './api.js';

export class ShareDialog {
  /** @type {HTMLDialogElement} */
  #dialog;
  /** @type {HTMLInputElement} */
  #url;
  /** @type {HTMLImageElement} */
  #qr;
  /** @type {HTMLElement} */
  #expiry;
  /** @type {HTMLElement} */
  #copied;
  /** @type {string | null} */
  #qrUrl = null;
  /** @type {(error: unknown) => void} */
  #onError;

  /**
   * @param {HTMLDialogElement} dialog  holds .url (input), .qr (img), .expiry, .copied, button.copy and button.close
   * @param {(error: unknown) => void} onError
   */
  constructor(dialog, onError) {
    this.#dialog = dialog;
    this.#onError = onError;
    this.#url = /** @type {HTMLInputElement} */ (dialog.querySelector('.url'));
    this.#qr = /** @type {HTMLImageElement} */ (dialog.querySelector('.qr'));
    this.#expiry = /** @type {HTMLElement} */ (dialog.querySelector('.expiry'));
    this.#copied = /** @type {HTMLElement} */ (dialog.querySelector('.copied'));
    dialog.querySelector('button.copy')?.addEventListener('click', () => this.#copy());
    dialog.querySelector('button.close')?.addEventListener('click', () => dialog.close());
  }

  /** Makes a link and shows it. @param {string | null} sessionId  null for a receiver-wide link */
  async share(sessionId) {
    try {
      const link = await createViewLink(sessionId);
      this.#url.value = link.url;
      this.#expiry.textContent = `Works until ${new Date(link.expiresAt).toLocaleString()}`;
      this.#copied.hidden = true;
      if (!this.#dialog.open) {
        this.#dialog.showModal();
      }
      await this.#copy();
      const blob = await getQrCode(link.url);
      if (this.#qrUrl) {
        URL.revokeObjectURL(this.#qrUrl);
      }
      this.#qrUrl = URL.createObjectURL(blob);
      this.#qr.src = this.#qrUrl;
    } catch (error) {
      this.#onError(error);
    }
  }

  async #copy() {
    this.#url.select();
    try {
      // The clipboard needs a secure context (https or localhost); elsewhere the selected link is copied by hand.
      await navigator.clipboard.writeText(this.#url.value);
      this.#copied.hidden = false;
    } catch {
      this.#copied.hidden = true;
    }
  }
}
