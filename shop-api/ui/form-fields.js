// @ts-check
/* global HTMLInputElement, HTMLSelectElement, HTMLTextAreaElement */
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

/**
 * Runs every rule, shows each field's first problem, focuses the first invalid field.
 * @param {FieldRule[]} rules
 * @returns {boolean} whether all fields passed
 */
export function validate(rules) {
  /** @type {Field | undefined} */
  let firstInvalid;
  for (const { field, label, check } of rules) {
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
