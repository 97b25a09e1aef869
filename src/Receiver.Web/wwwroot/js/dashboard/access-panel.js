// @ts-check
// Who may mirror, on the dashboard: senders waiting for approval (Allow / Deny) and the trusted senders (Revoke).
import { decidePendingSender, listPendingSenders, listSenders, revokeSender } from './api.js';

/** @typedef {import('./messages.js').TrustedSender} TrustedSender */
/** @typedef {import('./messages.js').PendingSender} PendingSender */

/** @type {Record<string, string>} */
const METHODS = { pin: 'paired with PIN', approval: 'approved', allowList: 'allow list' };

export class AccessPanel {
  /**
   * @param {{ pending: HTMLElement, pendingList: HTMLElement, pendingTemplate: HTMLTemplateElement,
   *           trusted: HTMLElement, trustedList: HTMLElement, trustedTemplate: HTMLTemplateElement,
   *           refused: HTMLElement, onError: (error: unknown) => void }} elements
   */
  constructor(elements) {
    this.elements = elements;
    /** Requests resolved on this page: a list fetched before the resolution must not bring them back. @type {Set<string>} */
    this.resolved = new Set();
    this.sendersGeneration = 0;
  }

  refresh() {
    return Promise.all([this.refreshSenders(), this.refreshPending()]);
  }

  async refreshSenders() {
    // Several refreshes may overlap (one per SendersChanged): only the newest one's answer is shown.
    const generation = ++this.sendersGeneration;
    try {
      const senders = await listSenders();
      if (generation === this.sendersGeneration) {
        this.renderSenders(senders);
      }
    } catch (error) {
      this.elements.onError(error);
    }
  }

  async refreshPending() {
    // The hub may add or resolve requests while the list is on its way: only rows shown before the fetch are
    // taken away when the list no longer has them.
    const before = new Set(this.pendingIds());
    try {
      this.mergePending(await listPendingSenders(), before);
    } catch (error) {
      this.elements.onError(error);
    }
  }

  /** @param {PendingSender} request */
  addPending(request) {
    if (!this.elements.pendingList.querySelector(`[data-request-id="${CSS.escape(request.requestId)}"]`)) {
      this.elements.pendingList.append(this.pendingRow(request));
    }
    this.elements.pending.hidden = false;
  }

  /** @param {string} requestId */
  removePending(requestId) {
    this.resolved.add(requestId);
    this.elements.pendingList.querySelector(`[data-request-id="${CSS.escape(requestId)}"]`)?.remove();
    this.elements.pending.hidden = this.elements.pendingList.childElementCount === 0;
  }

  /**
   * @param {string | null} deviceId
   * @param {string | null} name
   * @param {string} reason
   */
  refused(deviceId, name, reason) {
    const who = name || deviceId || 'A sender';
    this.elements.refused.textContent = `${who} was refused (${reason}) at ${new Date().toLocaleTimeString()}`;
    this.elements.refused.hidden = false;
  }

  /**
   * A sender asked for something the receiver does not serve as asked (protected content, PTP, remote control).
   * @param {string | null} deviceId
   * @param {string} detail  why, in one sentence
   */
  noticed(deviceId, detail) {
    const who = deviceId || 'A sender';
    this.elements.refused.textContent = `${who}: ${detail} (${new Date().toLocaleTimeString()})`;
    this.elements.refused.hidden = false;
  }

  /** @returns {string[]} the request ids shown */
  pendingIds() {
    return [...this.elements.pendingList.children].map(row => /** @type {HTMLElement} */ (row).dataset.requestId || '');
  }

  /**
   * @param {PendingSender[]} requests  the pending requests as the server listed them
   * @param {Set<string>} before  the request ids shown when the list was asked for
   */
  mergePending(requests, before) {
    const listed = new Set(requests.map(r => r.requestId));
    for (const row of [...this.elements.pendingList.children]) {
      const id = /** @type {HTMLElement} */ (row).dataset.requestId || '';
      if (before.has(id) && !listed.has(id)) {
        row.remove();
      }
    }
    for (const request of requests) {
      if (!this.resolved.has(request.requestId)) {
        this.addPending(request);
      }
    }
    this.elements.pending.hidden = this.elements.pendingList.childElementCount === 0;
  }

  /** @param {TrustedSender[]} senders */
  renderSenders(senders) {
    this.elements.trustedList.replaceChildren(...senders.map(s => this.trustedRow(s)));
    this.elements.trusted.hidden = senders.length === 0;
  }

  /** @param {PendingSender} request */
  pendingRow(request) {
    const row = /** @type {HTMLElement} */ (/** @type {DocumentFragment} */ (this.elements.pendingTemplate.content.cloneNode(true)).firstElementChild);
    row.dataset.requestId = request.requestId;
    /** @type {HTMLElement} */ (row.querySelector('.name')).textContent = request.name || request.deviceId;
    /** @type {HTMLElement} */ (row.querySelector('.details')).textContent =
      [request.model, request.deviceId, request.address].filter(Boolean).join(' · ');
    for (const decision of /** @type {const} */ (['allow', 'deny'])) {
      const button = /** @type {HTMLButtonElement} */ (row.querySelector(`button.${decision}`));
      button.addEventListener('click', async () => {
        row.querySelectorAll('button').forEach(b => { b.disabled = true; });
        try {
          await decidePendingSender(request.requestId, decision);
          this.removePending(request.requestId);
        } catch (error) {
          row.querySelectorAll('button').forEach(b => { b.disabled = false; });
          this.elements.onError(error);
        }
      });
    }
    return row;
  }

  /** @param {TrustedSender} sender */
  trustedRow(sender) {
    const row = /** @type {HTMLElement} */ (/** @type {DocumentFragment} */ (this.elements.trustedTemplate.content.cloneNode(true)).firstElementChild);
    row.dataset.deviceId = sender.deviceId;
    /** @type {HTMLElement} */ (row.querySelector('.name')).textContent = sender.name || 'Unnamed sender';
    /** @type {HTMLElement} */ (row.querySelector('.model')).textContent = sender.model || '';
    /** @type {HTMLElement} */ (row.querySelector('.device-id')).textContent = sender.deviceId;
    /** @type {HTMLElement} */ (row.querySelector('.how')).textContent =
      `${METHODS[sender.method] ?? sender.method} · last seen ${new Date(sender.lastSeenAt).toLocaleString()}`;
    const revoke = /** @type {HTMLButtonElement} */ (row.querySelector('button.revoke'));
    revoke.addEventListener('click', async () => {
      revoke.disabled = true;
      try {
        await revokeSender(sender.deviceId);
        row.remove();
        this.elements.trusted.hidden = this.elements.trustedList.childElementCount === 0;
      } catch (error) {
        revoke.disabled = false;
        this.elements.onError(error);
      }
    });
    return row;
  }
}
