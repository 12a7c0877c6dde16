// @ts-check
/* global document, setTimeout */

/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * Builds an element; text always goes in as text nodes, so data from the API can never become markup.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | undefined>} [attributes]
 * @param {Child[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/**
 * @param {Element} parent
 * @param {Child[]} children
 */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

/**
 * The element with this id, checked to be of the expected kind (a missing element is a bug in index.html).
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} kind
 * @returns {T}
 */
export function byId(id, kind) {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`index.html has no ${kind.name} #${id}`);
  return element;
}

/**
 * A named control of a form, checked to be of the expected kind.
 * @template {HTMLElement} T
 * @param {HTMLFormElement} form
 * @param {string} name
 * @param {{ new (): T, prototype: T }} kind
 * @returns {T}
 */
export function control(form, name, kind) {
  const element = form.elements.namedItem(name);
  if (!(element instanceof kind)) throw new Error(`form #${form.id} has no ${kind.name} named ${name}`);
  return element;
}

/** @param {HTMLElement} element */
export function clear(element) {
  element.replaceChildren();
}

/**
 * Resolves after `ms`; the pollers use it between reads.
 * @param {number} ms
 * @returns {Promise<void>}
 */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
