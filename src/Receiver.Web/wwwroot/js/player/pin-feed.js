// @ts-check
// The PIN overlay on a viewer page: the receiver's screen shows the PIN a pairing sender must type, like an Apple TV.
// It follows the server-sent PIN feed, which carries nothing but the overlay. The feed is for admins (the sign-in
// cookie, or the key the dashboard remembered on this origin, or ?api_key=) and for receiver-wide viewing links
// (?token=, a room display); a page opened with a link for one session does not show the PIN.
import { PinOverlay } from '../shared/pin-overlay.js';

const FEED = '/api/access/pin/events';
const STORAGE_KEY = 'airplay-receiver.apiKey';
const RETRY_MS = 5000;

/** @typedef {import('../dashboard/messages.js').PinOverlayMessage} PinOverlayMessage */

export class PinFeed {
  /** @param {HTMLElement} root  the overlay element */
  constructor(root) {
    this.overlay = new PinOverlay(root);
    /** @type {EventSource | null} */
    this.source = null;
  }

  start() {
    const params = new URLSearchParams(location.search);
    const key = params.get('api_key') || localStorage.getItem(STORAGE_KEY) || '';
    const token = params.get('token') || '';
    const query = key ? `?api_key=${encodeURIComponent(key)}` : token ? `?token=${encodeURIComponent(token)}` : '';
    const source = new EventSource(`${FEED}${query}`);
    this.source = source;
    source.addEventListener('pin', event => {
      this.overlay.show(/** @type {PinOverlayMessage} */ (JSON.parse(/** @type {MessageEvent<string>} */ (event).data)));
    });
    source.addEventListener('cleared', () => this.overlay.clear());
    source.onerror = () => {
      // EventSource retries by itself after a dropped stream; a refused one (401, 503) is closed: try again later.
      if (source.readyState === EventSource.CLOSED) {
        this.overlay.clear();
        setTimeout(() => this.start(), RETRY_MS);
      }
    };
  }
}
