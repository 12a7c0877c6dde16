// @ts-check
/* global document, setTimeout, HTMLInputElement, HTMLSelectElement, HTMLTextAreaElement */
import { h } from './dom.js';

/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Field */
/** @typedef {{ field: Field, label: string, check: import('./validation.js').Check }} FieldRule */

/**
 * Shows (or clears) a field's error next to it and links it with aria-describedby so screen readers read it.
 * @param {Field} field
 * @param {string | undefined} message
 */
export function showFieldError(field, message) {
  const errorId = `${field.id}-error`;
  let note = field.ownerDocument.getElementById(errorId);
  if (message === undefined) {
    field.removeAttribute('aria-invalid');
    note?.remove();
    return;
  }
  if (!note) {
    note = h('p', { id: errorId, class: 'field-error' });
    field.insertAdjacentElement('afterend', note);
  }
  note.textContent = message;
  field.setAttribute('aria-invalid', 'true');
  field.setAttribute('aria-describedby', errorId);
}

/** The rule each field was last checked with, so a field showing an error is checked again as it is corrected. */
/** @type {WeakMap<Field, FieldRule>} */
const lastRule = new WeakMap();

/** @param {Event} event */
function recheck(event) {
  const field = event.target;
  const isField =
    field instanceof HTMLInputElement ||
    field instanceof HTMLSelectElement ||
    field instanceof HTMLTextAreaElement;
  if (!isField || field.getAttribute('aria-invalid') !== 'true') return;
  /** @type {FieldRule | undefined} */
  const rule = lastRule.get(field);
  if (!rule) return showFieldError(field, undefined);
  const problem = rule.check(field.value);
  showFieldError(field, problem === undefined ? undefined : `${rule.label} ${problem}.`);
}
// After the other input listeners (codes are upper-cased by one), so the check sees the value as it ends up.
const later = (/** @type {Event} */ event) => setTimeout(() => recheck(event), 0);
document.addEventListener('input', later);
document.addEventListener('change', later);

/**
 * Runs every rule, shows each field's first problem, focuses the first invalid field. A field in error is
 * checked again on every change, so its message goes away (or changes) as soon as it is corrected.
 * @param {FieldRule[]} rules
 * @returns {boolean} whether all fields passed
 */
export function validate(rules) {
  /** @type {Field | undefined} */
  let firstInvalid;
  for (const rule of rules) {
    const { field, label, check } = rule;
    lastRule.set(field, rule);
    const problem = check(field.value);
    showFieldError(field, problem === undefined ? undefined : `${label} ${problem}.`);
    if (problem !== undefined) firstInvalid ??= field;
  }
  firstInvalid?.focus();
  return firstInvalid === undefined;
}

/**
 * Puts a suggested value into a field unless the user has typed their own since the last suggestion.
 * @param {HTMLInputElement | HTMLSelectElement} field
 * @param {string} value
 */
export function suggest(field, value) {
  const untouched = field.value === '' || field.value === field.dataset.suggested;
  field.dataset.suggested = value;
  if (untouched) field.value = value;
}

/**
 * @param {HTMLInputElement | HTMLSelectElement} field
 * @param {string} value
 */
export function setValue(field, value) {
  field.value = value;
  field.dataset.suggested = value;
}
