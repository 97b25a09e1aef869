// @ts-check
// What a viewer page shows and with which credentials: the session in its address (/view/{id}), or for a room
// display (/view/?token=…, a receiver-wide link) whatever is mirrored ("current"); and the viewing link's token,
// which goes with every request the page makes (browsers cannot set WebSocket headers).

/** @typedef {{ sessionId: string, room: boolean, token: string }} ViewTarget */

/** @returns {ViewTarget} */
export function viewTarget() {
  const params = new URLSearchParams(location.search);
  const match = location.pathname.match(/\/view\/([^/]+)/);
  const id = match ? decodeURIComponent(match[1]) : params.get('session') || '';
  return { sessionId: id || 'current', room: !id, token: params.get('token') || '' };
}

/**
 * The token as a query parameter after `separator`, or nothing.
 * @param {string} token
 * @param {string} separator  '?' or '&'
 */
export function tokenQuery(token, separator) {
  return token ? `${separator}token=${encodeURIComponent(token)}` : '';
}
