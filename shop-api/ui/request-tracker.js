// @ts-check

import { fetchTrace, sendShopData } from './api-client.js';
import { append, h, sleep } from './dom.js';
import { newKey } from './ids.js';
import { browserStorage, loadEntries, MAX_SAVED, saveEntries } from './request-store.js';
import { renderSteps, stepsOf } from './request-steps.js';

/**
 * Every request the page sends, followed through the pipeline's three steps until it settles: the gateway holds
 * each trace read until it differs from what the page shows (`?wait=&known=`), so nothing polls in a tight loop.
 * The log survives a reload (localStorage); a send the gateway did not take can be retried with the same
 * idempotency key, so a send whose answer was lost is not stored twice.
 */

export const POLL_INTERVAL_MS = 500;
export const GIVE_UP_AFTER_MS = 120_000;
/** How long the gateway may hold a trace answer (`?wait=`), within its MAX_REQUEST_WAIT_SECONDS. */
const HOLD_SECONDS = 10;

/**
 * @typedef {{ label: string, applies: string, payload: Record<string, unknown>, orderId?: string, key?: string }} Submission
 * @typedef {'sending' | 'failed' | 'sent' | import('./api-client.js').RequestStatus | 'stalled'} TrackStatus
 * @typedef {{
 *   submission: Submission & { key: string }, requestId?: string, status: TrackStatus, detail: string,
 *   trace?: import('./api-client.js').RequestTrace, projectedSeenAt?: string
 * }} Tracked
 * @typedef {(entry: Tracked) => void} Listener
 */

/** @type {Record<TrackStatus, string>} */
export const BADGES = {
  sending: 'sending…',
  failed: 'not sent',
  sent: 'sent',
  accepted: 'accepted',
  waiting: 'waiting',
  processed: 'processed',
  rejected: 'rejected',
  parked: 'parked',
  stalled: 'still pending',
};

/** Nothing more will happen to it without the user. @param {Tracked} entry */
export const isFinal = (entry) =>
  entry.status === 'failed' ||
  entry.status === 'rejected' ||
  entry.status === 'parked' ||
  entry.status === 'stalled' ||
  (entry.status === 'processed' && (entry.trace?.complete ?? false));

/** @param {string} iso */
const clock = (iso) => new Date(iso).toLocaleTimeString();

/**
 * How often a parked request was tried, and when first and last.
 * @param {import('./api-client.js').ParkedAttempts | undefined} parked
 */
const attempts = (parked) =>
  parked
    ? ` (tried ${parked.retryCount + 1} times, first at ${clock(parked.firstAttemptAt)}, last at ${clock(parked.lastAttemptAt)})`
    : '';

/**
 * @param {import('./api-client.js').RequestTrace} trace
 * @returns {string}
 */
function describe(trace) {
  switch (trace.status) {
    case 'accepted':
      return 'Stored by the gateway; a processor is working on it.';
    case 'waiting':
      return `Waiting: ${trace.reason ?? 'a precondition is not met yet'}; it is retried until it is.`;
    case 'processed':
      return trace.complete
        ? 'Done, and shown by the read models.'
        : 'Decided; the read models are catching up.';
    case 'rejected':
      return trace.reason ?? 'Rejected without a reason.';
    case 'parked':
      return `Parked for an operator to replay${trace.reason ? `: ${trace.reason}` : ' (a precondition was not met in time)'}${attempts(trace.parked)}.`;
  }
}

/**
 * @param {HTMLOListElement} list where the entries go, newest first (an aria-live region)
 * @param {Listener} onChange called on every change of any entry
 */
export function createRequestTracker(list, onChange, storage = browserStorage()) {
  /** @type {Tracked[]} newest first */
  const entries = [];
  /** @type {Map<Tracked, HTMLLIElement>} */
  const items = new Map();
  /** @type {Map<Tracked, Listener>} */
  const listeners = new Map();

  /** @param {Tracked} entry */
  function render(entry) {
    const item = items.get(entry);
    if (!item) return;
    item.dataset.status = entry.status;
    item.replaceChildren();
    const retry =
      entry.status === 'failed'
        ? h(
            'button',
            { type: 'button', class: 'secondary retry', 'aria-label': `Retry: ${entry.submission.label}` },
            ['Retry'],
          )
        : null;
    retry?.addEventListener('click', () => {
      // The button goes away with the new status; focus stays on the entry it belonged to.
      item.focus();
      void send(entry);
    });
    append(item, [
      h('div', { class: 'request-head' }, [
        h('span', { class: 'request-label' }, [entry.submission.label]),
        h('span', { class: `badge badge-${entry.status}` }, [BADGES[entry.status]]),
      ]),
      h('p', { class: 'request-detail' }, [entry.detail]),
      entry.status === 'failed' || entry.status === 'sending'
        ? null
        : renderSteps(
            stepsOf(entry.trace, {
              sent: entry.requestId !== undefined,
              projectedSeenAt: entry.projectedSeenAt,
            }),
          ),
      entry.requestId && h('p', { class: 'request-id' }, ['request ', h('code', {}, [entry.requestId])]),
      retry,
    ]);
  }

  /** @param {Tracked} entry @param {Partial<Tracked>} change */
  function update(entry, change) {
    const before = JSON.stringify([entry.status, entry.detail, entry.trace?.version, entry.requestId]);
    Object.assign(entry, change);
    if (before === JSON.stringify([entry.status, entry.detail, entry.trace?.version, entry.requestId]))
      return;
    render(entry);
    saveEntries(storage, entries);
    listeners.get(entry)?.(entry);
    onChange(entry);
  }

  /** @param {Tracked} entry */
  function show(entry, atTop = true) {
    const item = h('li', { class: 'request', tabindex: -1 });
    items.set(entry, item);
    if (atTop) list.prepend(item);
    else list.append(item);
    render(entry);
    while (entries.length > MAX_SAVED) {
      const dropped = entries.pop();
      if (dropped) items.get(dropped)?.remove();
      if (dropped) items.delete(dropped);
    }
  }

  /** @param {Tracked} entry */
  async function follow(entry) {
    const deadline = Date.now() + GIVE_UP_AFTER_MS;
    while (!isFinal(entry) && entry.requestId !== undefined) {
      const reply = await fetchTrace(entry.requestId, HOLD_SECONDS, entry.trace?.version);
      if (!reply.ok) {
        update(entry, { detail: `Cannot read its status right now (${reply.message}); retrying.` });
        await sleep(POLL_INTERVAL_MS);
      } else if (reply.value) {
        const trace = reply.value;
        /** @type {Partial<Tracked>} */
        const change = { status: trace.status, detail: describe(trace), trace };
        if (trace.projected?.done && !entry.projectedSeenAt)
          change.projectedSeenAt = new Date().toISOString();
        update(entry, change);
      } else {
        await sleep(POLL_INTERVAL_MS);
      }
      if (!isFinal(entry) && Date.now() > deadline) {
        update(entry, { status: 'stalled', detail: 'No outcome yet; look at the order again later.' });
      }
    }
  }

  /** @param {Tracked} entry */
  async function send(entry) {
    update(entry, { status: 'sending', detail: 'Sending to the gateway…' });
    const { submission } = entry;
    const sent = await sendShopData(submission.applies, submission.payload, submission.key);
    if (!sent.ok) {
      update(entry, { status: 'failed', detail: sent.message });
      return entry;
    }
    update(entry, {
      requestId: sent.value,
      status: 'sent',
      detail: 'Stored by the gateway; waiting for the pipeline to report on it.',
    });
    void follow(entry);
    return entry;
  }

  for (const saved of loadEntries(storage)) {
    // A send cut short by the reload may or may not have been stored; a retry with its key tells.
    if (saved.status === 'sending') {
      Object.assign(saved, { status: 'failed', detail: 'The page closed before the gateway answered.' });
    }
    entries.push(saved);
    show(saved, false);
    if (saved.status === 'stalled') saved.status = 'sent';
    if (!isFinal(saved)) void follow(saved);
  }

  return {
    /** What the log holds, newest first. */
    entries: () => /** @type {readonly Tracked[]} */ (entries),
    /**
     * Sends one message and follows it in the background.
     * @param {Submission} submission
     * @param {Listener} [listener] told of every change of this entry (the form that sent it shows it)
     * @returns {Promise<Tracked>} once the gateway answered (stored or not)
     */
    submit(submission, listener) {
      /** @type {Tracked} */
      const entry = {
        submission: { ...submission, key: submission.key ?? newKey() },
        status: 'sending',
        detail: 'Sending to the gateway…',
      };
      entries.unshift(entry);
      if (listener) listeners.set(entry, listener);
      show(entry);
      onChange(entry);
      return send(entry);
    },
  };
}
