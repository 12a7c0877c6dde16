// @ts-check
import { fetchOrderHistory } from './api-client.js';
import { clockTime } from './dates.js';
import { h } from './dom.js';

/**
 * An order's events in the order they were recorded: its own stream, its payments' and its shipment's, each
 * with its time, stream revision and the request that caused it, so a clerk sees why the order is in its state.
 */

/** @param {HTMLElement} container */
export function createOrderHistory(container) {
  /** Only the latest load may render. */
  let loads = 0;

  /** @param {import('./api-client.js').HistoryEvent[]} events */
  const table = (events) =>
    h('table', { class: 'compact history' }, [
      h('caption', { class: 'visually-hidden' }, ['Events of this order, oldest first']),
      h('thead', {}, [
        h(
          'tr',
          {},
          ['Time', 'Event', 'Stream', 'Revision', 'Request'].map((text) => h('th', { scope: 'col' }, [text])),
        ),
      ]),
      h(
        'tbody',
        {},
        events.map((event) =>
          h('tr', { 'data-event-type': event.type }, [
            h('td', {}, [h('time', { datetime: event.at }, [clockTime(event.at)])]),
            h('td', {}, [event.type]),
            h('td', {}, [h('code', {}, [event.stream])]),
            h('td', { class: 'num' }, [String(event.revision)]),
            h('td', {}, [
              event.requestId ? h('code', { title: event.requestId }, [event.requestId.slice(0, 8)]) : '—',
            ]),
          ]),
        ),
      ),
    ]);

  return {
    /** @param {string} orderId */
    async show(orderId) {
      const ticket = ++loads;
      const reply = await fetchOrderHistory(orderId);
      if (ticket !== loads) return;
      container.dataset.orderId = orderId;
      const heading = h('h4', { id: 'history-title' }, ['History']);
      if (!reply.ok) {
        container.replaceChildren(heading, h('p', { class: 'message error' }, [reply.message]));
        return;
      }
      const events = reply.value?.events ?? [];
      container.dataset.events = String(events.length);
      container.replaceChildren(
        heading,
        events.length === 0 ? h('p', { class: 'hint' }, ['No events recorded yet.']) : table(events),
      );
    },
    clear() {
      loads++;
      container.replaceChildren();
      delete container.dataset.orderId;
    },
  };
}
