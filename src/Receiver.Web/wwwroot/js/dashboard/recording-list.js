// @ts-check
// The recorded files: a download and a delete button each, refreshed when a recording starts or stops.
import { deleteRecording, downloadRecording, listRecordings } from './api.js';
import { formatBytes } from './format.js';

/** @typedef {import('./messages.js').RecordingFile} RecordingFile */

export class RecordingList {
  /** @type {HTMLElement} */
  #section;
  /** @type {HTMLElement} */
  #list;
  /** @type {(error: unknown) => void} */
  #onError;
  /** @type {Promise<void> | null} */
  #refreshing = null;

  /**
   * @param {{ section: HTMLElement, list: HTMLElement, onError: (error: unknown) => void }} parts
   *   the section to hide while there are no files, the list of files, and where failures go
   */
  constructor({ section, list, onError }) {
    this.#section = section;
    this.#list = list;
    this.#onError = onError;
  }

  /** Reads the list again (calls made while one is running share it). */
  refresh() {
    this.#refreshing ??= this.#load().finally(() => { this.#refreshing = null; });
    return this.#refreshing;
  }

  async #load() {
    try {
      this.#render(await listRecordings());
    } catch (error) {
      this.#onError(error);
    }
  }

  /** @param {RecordingFile[]} files */
  #render(files) {
    this.#section.hidden = files.length === 0;
    this.#list.replaceChildren(...files.map(file => this.#item(file)));
  }

  /** @param {RecordingFile} file */
  #item(file) {
    const item = document.createElement('li');
    item.className = 'recording';
    item.dataset.name = file.name;
    const name = Object.assign(document.createElement('span'), { className: 'file', textContent: file.name });
    const size = Object.assign(document.createElement('span'), {
      className: 'muted',
      textContent: file.active ? `${formatBytes(file.bytes)} · recording` : formatBytes(file.bytes),
    });
    const download = Object.assign(document.createElement('button'), { type: 'button', className: 'download', textContent: 'Download' });
    download.addEventListener('click', () => downloadRecording(file.name).catch(this.#onError));
    const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'delete', textContent: 'Delete' });
    remove.disabled = file.active;
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await deleteRecording(file.name);
      } catch (error) {
        this.#onError(error);
      }
      await this.refresh();
    });
    item.append(name, size, download, remove);
    return item;
  }
}
