// @ts-check
// Formatting of figures shown on the dashboard.

/** @param {number | null | undefined} bitsPerSecond */
export function formatBitrate(bitsPerSecond) {
  if (!bitsPerSecond) {
    return '0 kbit/s';
  }
  if (bitsPerSecond >= 1_000_000) {
    return `${(bitsPerSecond / 1_000_000).toFixed(1)} Mbit/s`;
  }
  return `${Math.round(bitsPerSecond / 1000)} kbit/s`;
}

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes >= 1_000_000_000) {
    return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
  }
  if (bytes >= 1_000_000) {
    return `${(bytes / 1_000_000).toFixed(1)} MB`;
  }
  return `${Math.round((bytes ?? 0) / 1000)} kB`;
}

/** @param {number | null | undefined} fps */
export function formatFps(fps) {
  const value = fps ?? 0;
  return `${value.toFixed(value >= 10 || !value ? 0 : 1)} fps`;
}

/** Sender-to-receiver latency in ms, or nothing while it is not measured. @param {number | null | undefined} ms */
export function formatLatency(ms) {
  return typeof ms === 'number' ? `${ms.toFixed(ms >= 10 ? 0 : 1)} ms` : '';
}

/** @param {number | null | undefined} width @param {number | null | undefined} height */
export function formatResolution(width, height) {
  return width && height ? `${width}×${height}` : 'no video yet';
}

/** @param {number | null | undefined} count */
export function formatViewers(count) {
  return count === 1 ? '1 viewer' : `${count ?? 0} viewers`;
}

/** @param {string} startedAt  an ISO 8601 instant @param {number} [now]  ms since 1970 */
export function formatSince(startedAt, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - new Date(startedAt).getTime()) / 1000));
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
