// @ts-check
import { clockTime } from './dates.js';
import { h } from './dom.js';

/**
 * A request's path as three steps: stored by the gateway, decided by a processor, projected into the read models.
 * Each step is `done`, `pending`, `failed` (rejected or parked), `waiting` or `skipped` (nothing to project).
 */

/**
 * @typedef {import('./api-client.js').RequestTrace} RequestTrace
 * @typedef {'done' | 'pending' | 'failed' | 'waiting' | 'skipped'} StepState
 * @typedef {{ step: 'stored' | 'decided' | 'projected', name: string, state: StepState, text: string }} Step
 */

/** @param {number} count @param {string} noun */
const plural = (count, noun) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * @param {RequestTrace | undefined} trace
 * @param {{ sent: boolean, projectedSeenAt?: string }} seen
 * @returns {Step[]}
 */
export function stepsOf(trace, seen) {
  const stored = trace?.stored;
  const decided = trace?.decided ?? null;
  const projected = trace?.projected ?? null;
  /** @type {Step} */
  const first = seen.sent
    ? {
        step: 'stored',
        name: 'Stored',
        state: 'done',
        text: [
          stored?.revision === null || stored?.revision === undefined
            ? 'in the input stream'
            : `${stored.stream} #${stored.revision}`,
          stored?.at ? clockTime(stored.at) : '',
        ]
          .filter(Boolean)
          .join(' · '),
      }
    : { step: 'stored', name: 'Stored', state: 'pending', text: 'not yet' };

  /** @type {Step} */
  let second = { step: 'decided', name: 'Decided', state: 'pending', text: 'no processor has decided yet' };
  if (decided) {
    const by = decided.by ? `by ${decided.by}` : 'by a processor';
    const events =
      decided.events === null
        ? ''
        : decided.events.length === 0
          ? 'no new events (already done)'
          : `${plural(decided.events.length, 'event')}: ${decided.events
              .map((e) => `${e.type} → ${e.stream}@${e.revision}`)
              .join(', ')}`;
    const what =
      decided.outcome === 'processed' ? events : `${decided.outcome}: ${decided.reason ?? 'no reason given'}`;
    /** @type {Record<string, StepState>} */
    const states = { processed: 'done', waiting: 'waiting', rejected: 'failed', parked: 'failed' };
    second = {
      step: 'decided',
      name: 'Decided',
      state: states[decided.outcome] ?? 'pending',
      text: [by, what, clockTime(decided.at)].filter(Boolean).join(' · '),
    };
  }

  /** @type {Step} */
  let third = { step: 'projected', name: 'Projected', state: 'pending', text: 'waits for the decision' };
  if (decided && decided.outcome !== 'processed' && decided.outcome !== 'waiting') {
    third = { step: 'projected', name: 'Projected', state: 'skipped', text: 'nothing to project' };
  } else if (projected) {
    const models = projected.readModels.map((m) => `${m.name} ${m.reflected ? '✓' : '…'}`).join(', ');
    third = {
      step: 'projected',
      name: 'Projected',
      state: projected.done ? 'done' : 'pending',
      text: projected.done
        ? [
            models || 'nothing new to project',
            seen.projectedSeenAt ? `seen ${clockTime(seen.projectedSeenAt)}` : '',
          ]
            .filter(Boolean)
            .join(' · ')
        : `read models catching up: ${models}`,
    };
  }
  return [first, second, third];
}

/**
 * @param {Step[]} steps
 * @returns {HTMLOListElement}
 */
export function renderSteps(steps) {
  return h(
    'ol',
    { class: 'request-steps', 'aria-label': 'Steps of this request' },
    steps.map((step) =>
      h('li', { 'data-step': step.step, 'data-state': step.state }, [
        h('span', { class: 'step-name' }, [step.name]),
        ' ',
        h('span', { class: 'step-text' }, [step.text]),
      ]),
    ),
  );
}
