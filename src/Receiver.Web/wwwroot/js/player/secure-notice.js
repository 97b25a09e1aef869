// @ts-check
// Over plain HTTP from another machine the viewer page is not a secure context: WebCodecs is missing and the page
// plays with MSE, with more delay. This notice says so and links to the same page over the receiver's HTTPS port
// (from the anonymous GET /viewer-info); it can be dismissed and changes nothing else.

/** @typedef {{ httpsPort: number | null, fingerprint: string | null }} ViewerInfo */

/**
 * The address of the current page over HTTPS on `port`: same host, path, query and fragment.
 * @param {Location | URL} here
 * @param {number} port
 * @returns {string}
 */
export function httpsAddress(here, port) {
  return `https://${here.hostname}:${port}${here.pathname}${here.search}${here.hash}`;
}

export class SecureNotice {
  /** @param {HTMLElement} root  the page's [data-role=secure-notice] element */
  constructor(root) {
    this.root = root;
  }

  /** Shows the notice when the page is not a secure context; does nothing otherwise. */
  async start() {
    if (window.isSecureContext) {
      return;
    }
    /** @type {ViewerInfo | null} */
    const info = await fetch('/viewer-info', { cache: 'no-store' })
      .then((r) => (r.ok ? /** @type {Promise<ViewerInfo>} */ (r.json()) : null), () => null);
    const link = /** @type {HTMLAnchorElement | null} */ (this.root.querySelector('[data-role=https-link]'));
    const fingerprint = /** @type {HTMLElement | null} */ (this.root.querySelector('[data-role=fingerprint]'));
    if (link) {
      if (info && typeof info.httpsPort === 'number') {
        link.href = httpsAddress(location, info.httpsPort);
        link.hidden = false;
      } else {
        link.hidden = true;
      }
    }
    if (fingerprint) {
      fingerprint.textContent = info && info.fingerprint ? `Certificate SHA-256: ${info.fingerprint}` : '';
    }
    const dismiss = this.root.querySelector('[data-action=dismiss-notice]');
    if (dismiss) {
      dismiss.addEventListener('click', () => { this.root.hidden = true; });
    }
    this.root.hidden = false;
  }
}
