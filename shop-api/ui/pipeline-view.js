// @ts-check
/* global document, HTMLElement */
import { fetchPipeline } from './api-client.js';
import { clockTime } from './dates.js';
import { h, sleep } from './dom.js';

/**
 * The whole pipeline as a live diagram: gateway → input stream → processing group and its consumers → read
 * models, refreshed every REFRESH_MS from the gateway's `GET /shop/api/v1/pipeline` while the view is open.
 * Every figure carries `data-metric` so it can be found by what it measures.
 */

export const REFRESH_MS = 1500;
/** Rates kept for the sparklines: about a minute and a half at REFRESH_MS. */
export const RATE_HISTORY = 60;
const SVG = 'http://www.w3.org/2000/svg';
const SPARK_WIDTH = 160;
const SPARK_HEIGHT = 32;

/**
 * @typedef {import('./api-client.js').PipelineStatus} PipelineStatus
 */

/** @param {number | null} perSecond */
const rate = (perSecond) => (perSecond === null ? '—' : `${perSecond.toFixed(1)}/s`);

/**
 * @param {string} metric
 * @param {string} label
 * @param {string | number} value
 * @param {string} [state] `ok`, `warn` or `bad`, for the figure's colour
 */
function figure(metric, label, value, state) {
  return h('div', { class: `metric${state ? ` metric-${state}` : ''}` }, [
    h('dt', {}, [label]),
    h('dd', { 'data-metric': metric }, [String(value)]),
  ]);
}

/**
 * @param {string} title
 * @param {string} step
 * @param {(Node | null)[]} body
 */
const stage = (title, step, body) =>
  h('section', { class: 'stage', 'aria-label': title, 'data-stage': step }, [
    h('h3', {}, [h('span', { class: 'stage-number' }, [step]), ' ', title]),
    ...body,
  ]);

/**
 * A rate's recent history as a line, newest at the right.
 * @param {string} metric
 * @param {string} what
 * @param {readonly number[]} values
 */
function sparkline(metric, what, values) {
  const top = Math.max(1, ...values);
  const step = SPARK_WIDTH / Math.max(1, RATE_HISTORY - 1);
  const offset = (RATE_HISTORY - values.length) * step;
  const points = values
    .map(
      (v, i) =>
        `${(offset + i * step).toFixed(1)},${(SPARK_HEIGHT - 2 - (v / top) * (SPARK_HEIGHT - 4)).toFixed(1)}`,
    )
    .join(' ');
  const chart = document.createElementNS(SVG, 'svg');
  chart.setAttribute('viewBox', `0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`);
  chart.setAttribute('class', 'sparkline');
  chart.setAttribute('role', 'img');
  chart.setAttribute('data-metric', metric);
  chart.setAttribute(
    'aria-label',
    `${what} over the last ${Math.round((values.length * REFRESH_MS) / 1000)} s, peak ${Math.max(0, ...values).toFixed(1)}/s`,
  );
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points);
  chart.append(line);
  return chart;
}

const arrow = () => h('div', { class: 'stage-arrow', 'aria-hidden': 'true' }, ['→']);

/**
 * @param {PipelineStatus} status
 * @param {{ ingest: number[], processed: number[] }} rates recent rates, oldest first
 */
function render(status, rates) {
  const { ingest, processing } = status;
  const length = ingest.lastRevision === null ? 0 : ingest.lastRevision + 1;
  const input = stage('Gateway and input stream', '1', [
    h('dl', { class: 'metrics' }, [
      figure('ingest-rate', 'Ingest rate', rate(ingest.perSecond)),
      figure('input-length', `Events in ${ingest.stream}`, length),
    ]),
    sparkline('ingest-history', 'Ingest rate', rates.ingest),
  ]);
  const group = processing
    ? stage(`Processing group ${processing.group}`, '2', [
        h('dl', { class: 'metrics' }, [
          figure('processed-rate', 'Rate', rate(processing.perSecond)),
          figure('processed-total', 'Handled', processing.totalItems),
          figure(
            'processing-lag',
            'Not yet checkpointed',
            processing.lagEvents,
            processing.lagEvents > 0 ? 'warn' : 'ok',
          ),
          figure('in-flight', 'In flight', processing.inFlight),
          figure('retry-buffer', 'Awaiting retry', processing.retryBuffer),
          figure('parked', 'Parked', processing.parked, processing.parked > 0 ? 'bad' : 'ok'),
        ]),
        sparkline('processed-history', 'Processing rate', rates.processed),
        h('table', { class: 'compact consumers' }, [
          h('caption', {}, [`${processing.consumers.length} consumer(s), ${processing.status}`]),
          h('thead', {}, [
            h(
              'tr',
              {},
              ['Consumer', 'Rate', 'Handled', 'In flight'].map((t) => h('th', { scope: 'col' }, [t])),
            ),
          ]),
          h(
            'tbody',
            {},
            processing.consumers.map((c, index) =>
              h('tr', { 'data-consumer': String(index) }, [
                h('th', { scope: 'row', title: c.from }, [c.name]),
                h('td', { class: 'num', 'data-metric': `consumer-${index}-rate` }, [rate(c.perSecond)]),
                h('td', { class: 'num', 'data-metric': `consumer-${index}-total` }, [String(c.totalItems)]),
                h('td', { class: 'num' }, [String(c.inFlight)]),
              ]),
            ),
          ),
        ]),
      ])
    : stage('Processing group', '2', [
        h('p', { class: 'message error' }, ['No processing group yet: start a processor.']),
      ]);
  const models = stage('Read models', '3', [
    h('table', { class: 'compact read-models' }, [
      h('caption', { class: 'visually-hidden' }, ['Each read model, its checkpoint and its lag']),
      h('thead', {}, [
        h(
          'tr',
          {},
          ['Read model', 'Lag (events)', 'Lag (s)', 'Checkpoint'].map((t) => h('th', { scope: 'col' }, [t])),
        ),
      ]),
      h(
        'tbody',
        {},
        status.readModels.map((m) =>
          h('tr', { 'data-read-model': m.name, class: m.lagEvents > 0 ? 'behind' : 'current' }, [
            h('th', { scope: 'row' }, [m.name]),
            h('td', { class: 'num', 'data-metric': `${m.name}-lag-events` }, [String(m.lagEvents)]),
            h('td', { class: 'num', 'data-metric': `${m.name}-lag-seconds` }, [m.lagSeconds.toFixed(1)]),
            h('td', { class: 'num', 'data-metric': `${m.name}-checkpoint`, title: m.checkpointAt ?? '' }, [
              m.checkpoint === null ? 'none yet' : String(m.checkpoint),
            ]),
          ]),
        ),
      ),
    ]),
  ]);
  return [input, arrow(), group, arrow(), models];
}

/**
 * @param {HTMLElement} diagram where the stages go
 * @param {HTMLElement} message a status line: when it was measured, or why it could not be
 */
export function createPipelineView(diagram, message) {
  let running = false;
  let open = false;
  /** @type {{ ingest: number[], processed: number[] }} */
  const rates = { ingest: [], processed: [] };
  /** @param {number[]} list @param {number | null | undefined} value */
  const keep = (list, value) => {
    list.push(value ?? 0);
    if (list.length > RATE_HISTORY) list.shift();
  };

  async function refreshLoop() {
    if (running) return;
    running = true;
    try {
      while (open && document.visibilityState !== 'hidden') {
        const reply = await fetchPipeline();
        if (!open) break;
        if (reply.ok && reply.value) {
          keep(rates.ingest, reply.value.ingest.perSecond);
          keep(rates.processed, reply.value.processing?.perSecond);
          diagram.replaceChildren(...render(reply.value, rates));
          diagram.dataset.measuredAt = reply.value.at;
          message.classList.remove('error');
          message.textContent = `Measured at ${clockTime(reply.value.at)}; refreshed every ${REFRESH_MS / 1000} s.`;
        } else {
          message.classList.add('error');
          message.textContent = reply.ok ? 'This gateway has no pipeline view.' : reply.message;
        }
        await sleep(REFRESH_MS);
      }
    } finally {
      running = false;
    }
  }
  document.addEventListener('visibilitychange', () => void refreshLoop());

  return {
    /** @param {boolean} visible */
    setOpen(visible) {
      open = visible;
      if (visible) void refreshLoop();
    },
  };
}
