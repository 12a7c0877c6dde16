// @ts-check
/* global HTMLButtonElement, HTMLParagraphElement */
import { h } from './dom.js';
import { BADGES } from './request-tracker.js';

/**
 * What a form sent, shown next to its button: the button is busy while the gateway answers, and the outcome
 * (stored, decided, rejected with the reason…) appears under it as it comes, in a live region of its own.
 */

/**
 * @typedef {import('./request-tracker.js').Submission} Submission
 * @typedef {import('./request-tracker.js').Tracked} Tracked
 * @typedef {{ submit: (submission: Submission, listener?: (entry: Tracked) => void) => Promise<Tracked> }} Tracker
 */

/**
 * @param {HTMLFormElement} form
 * @returns {HTMLParagraphElement}
 */
export function outcomeOf(form) {
  const existing = form.querySelector('.form-outcome');
  if (existing instanceof HTMLParagraphElement) return existing;
  const note = h('p', { class: 'form-outcome', role: 'status', id: `${form.id}-outcome` });
  // The small action forms are one fieldset each, sized by the grid: the outcome goes inside it.
  const fieldset = form.classList.contains('action') ? form.querySelector('fieldset') : null;
  (fieldset ?? form).append(note);
  return note;
}

/**
 * @param {HTMLFormElement} form
 * @param {Tracker} tracker
 * @returns {(submission: Submission) => Promise<Tracked>}
 */
export function formSender(form, tracker) {
  const button = form.querySelector('button[type="submit"]');
  if (!(button instanceof HTMLButtonElement)) throw new Error(`form #${form.id} has no submit button`);
  const note = outcomeOf(form);
  /** Only the latest send from this form speaks here; earlier ones still go on in the requests log. */
  let sends = 0;
  /** @param {Tracked} entry @param {number} send */
  const show = (entry, send) => {
    if (send !== sends) return;
    note.dataset.status = entry.status;
    note.textContent = `${entry.submission.label}: ${BADGES[entry.status]} — ${entry.detail}`;
  };
  return async (submission) => {
    const send = ++sends;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    note.dataset.status = 'sending';
    note.textContent = `${submission.label}: sending…`;
    try {
      const entry = await tracker.submit(submission, (changed) => show(changed, send));
      show(entry, send);
      return entry;
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  };
}
