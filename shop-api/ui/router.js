// @ts-check
/* global history, location */

/**
 * The page's own URLs, in the fragment so the gateway serves one static page: `#/orders/o-1` is an order a
 * clerk can link or bookmark, `#/pipeline` the pipeline view, anything else the orders view.
 * @typedef {{ view: 'orders', orderId?: string } | { view: 'pipeline' }} Route
 */

/**
 * @param {string} hash `location.hash`
 * @returns {Route}
 */
export function parseRoute(hash) {
  if (hash === '#/pipeline') return { view: 'pipeline' };
  const match = /^#\/orders\/([^/]+)$/.exec(hash);
  if (!match?.[1]) return { view: 'orders' };
  try {
    return { view: 'orders', orderId: decodeURIComponent(match[1]) };
  } catch {
    return { view: 'orders' };
  }
}

/** @param {string} orderId */
export const orderHash = (orderId) => `#/orders/${encodeURIComponent(orderId)}`;

/**
 * Records where the page is without reloading or re-routing it (pushState fires no hashchange); back and
 * forward do fire one.
 * @param {string} hash
 */
export function recordRoute(hash) {
  if (location.hash !== hash) history.pushState(null, '', hash);
}
