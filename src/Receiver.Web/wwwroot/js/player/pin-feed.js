// @ts-check
// The PIN overlay on a viewer page: the receiver's screen shows the PIN a pairing sender must type, like an Apple TV.
// It follows the server-sent PIN feed, which carries nothing but the overlay. When the receiver has an admin API
// key, the feed needs it too: the viewer uses the key the dashboard remembered on this origin, or ?api_key=.
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
    const key = new URLSearchParams(location.search).get('api_key') || localStorage.getItem(STORAGE_KEY) || '';
    const source = new EventSource(key ? `${FEED}?api_key=${encodeURIComponent(key)}` : FEED);
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
