// @ts-check
/* global document, history, location, sessionStorage, CustomEvent */

/**
 * The API key the page sends as `Authorization: Bearer …`. `npm start` prints a link ending in `#key=<key>`: the
 * fragment never reaches a server, the page keeps the key for this tab (sessionStorage) and takes it out of the
 * address bar. Without a key, or when the API refuses it, the page asks for one.
 */
const STORAGE = 'shop-api-key';
export const UNAUTHORIZED_EVENT = 'shop-api-unauthorized';

/** @returns {string} */
export function apiKey() {
  return sessionStorage.getItem(STORAGE) ?? '';
}

/** @param {string} key */
export function setApiKey(key) {
  sessionStorage.setItem(STORAGE, key.trim());
}

/** Takes `#key=…` from the address into this tab's storage; runs once, before the page's first call. */
function takeKeyFromFragment() {
  const match = /^#key=([A-Za-z0-9._~+/=-]+)$/.exec(location.hash);
  if (!match?.[1]) return;
  setApiKey(decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

takeKeyFromFragment();

/** Tells the page the API refused the key (or there was none): the key form shows. */
export function reportUnauthorized() {
  document.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
}
