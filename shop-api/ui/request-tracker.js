// @ts-check
import { fetchRequest, sendShopData } from './api-client.js';
import { append, h, sleep } from './dom.js';

/** Every request the page sends, with its status read back until it settles: accepted → processed/rejected. */

export const POLL_INTERVAL_MS = 500;
export const GIVE_UP_AFTER_MS = 120_000;
/** How long the gateway may hold a status answer (`?wait=`), within its MAX_REQUEST_WAIT_SECONDS. */
const HOLD_SECONDS = 10;
const MAX_ENTRIES = 50;

/**
 * @typedef {{ label: string, applies: string, payload: Record<string, unknown>, orderId?: string }} Submission
 * @typedef {'sending' | 'failed' | 'sent' | import('./api-client.js').RequestStatus | 'stalled'} TrackStatus
 * @typedef {{ submission: Submission, requestId?: string, status: TrackStatus, detail: string }} Tracked
 */

/** @type {Record<TrackStatus, string>} */
const BADGES = {
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

/** @param {TrackStatus} status */
const isFinal = (status) =>
  status === 'processed' || status === 'rejected' || status === 'parked' || status === 'stalled';

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
 * @param {import('./api-client.js').RequestState} state
 * @returns {string}
 */
function describe(state) {
  switch (state.status) {
    case 'accepted':
      return 'Stored by the gateway; a processor is working on it.';
    case 'waiting':
      return `Waiting: ${state.reason ?? 'a precondition is not met yet'}; it is retried until it is.`;
    case 'processed':
      return state.resultIds?.length ? `Done: ${state.resultIds.join(', ')}.` : 'Done.';
    case 'rejected':
      return state.reason ?? 'Rejected without a reason.';
    case 'parked':
      return `Parked for an operator to replay${state.reason ? `: ${state.reason}` : ' (a precondition was not met in time)'}${attempts(state.parked)}.`;
  }
}

/**
 * @param {HTMLOListElement} list where the entries go, newest first (an aria-live region)
 * @param {(entry: Tracked) => void} onChange called on every status change
 */
export function createRequestTracker(list, onChange) {
  /**
   * @param {Tracked} entry
   * @param {HTMLLIElement} item
   */
  function render(entry, item) {
    item.dataset.status = entry.status;
    item.replaceChildren();
    append(item, [
      h('div', { class: 'request-head' }, [
        h('span', { class: 'request-label' }, [entry.submission.label]),
        h('span', { class: `badge badge-${entry.status}` }, [BADGES[entry.status]]),
      ]),
      h('p', { class: 'request-detail' }, [entry.detail]),
      entry.requestId && h('p', { class: 'request-id' }, ['request ', h('code', {}, [entry.requestId])]),
    ]);
  }

  /**
   * @param {Tracked} entry
   * @param {HTMLLIElement} item
   * @param {Partial<Tracked>} change
   */
  function update(entry, item, change) {
    const same =
      (change.status ?? entry.status) === entry.status && (change.detail ?? entry.detail) === entry.detail;
    if (same) return;
    Object.assign(entry, change);
    render(entry, item);
    onChange(entry);
  }

  /**
   * @param {Tracked} entry
   * @param {HTMLLIElement} item
   * @param {string} requestId
   */
  async function follow(entry, item, requestId) {
    const deadline = Date.now() + GIVE_UP_AFTER_MS;
    while (!isFinal(entry.status)) {
      // The gateway holds the answer until the request has an outcome; a waiting one is asked again shortly.
      const reply = await fetchRequest(requestId, HOLD_SECONDS);
      if (!reply.ok) {
        update(entry, item, { detail: `Cannot read its status right now (${reply.message}); retrying.` });
        await sleep(POLL_INTERVAL_MS);
      } else if (reply.value) {
        update(entry, item, { status: reply.value.status, detail: describe(reply.value) });
        if (reply.value.status === 'waiting' || reply.value.status === 'accepted')
          await sleep(POLL_INTERVAL_MS);
      } else {
        await sleep(POLL_INTERVAL_MS);
      }
      if (!isFinal(entry.status) && Date.now() > deadline) {
        update(entry, item, { status: 'stalled', detail: 'No outcome yet; look at the order again later.' });
      }
    }
  }

  return {
    /**
     * Sends one message and follows it in the background.
     * @param {Submission} submission
     * @returns {Promise<Tracked>} once the gateway answered (stored or not)
     */
    async submit(submission) {
      /** @type {Tracked} */
      const entry = { submission, status: 'sending', detail: 'Sending to the gateway…' };
      const item = h('li', { class: 'request' });
      render(entry, item);
      list.prepend(item);
      while (list.children.length > MAX_ENTRIES) list.lastElementChild?.remove();
      onChange(entry);
      const sent = await sendShopData(submission.applies, submission.payload);
      if (!sent.ok) {
        update(entry, item, { status: 'failed', detail: sent.message });
        return entry;
      }
      entry.requestId = sent.value;
      update(entry, item, {
        status: 'sent',
        detail: 'Stored by the gateway; waiting for the pipeline to report on it.',
      });
      void follow(entry, item, sent.value);
      return entry;
    },
  };
}
