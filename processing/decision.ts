import type { DomainEvent } from '../contracts/events/domain';

/**
 * What an aggregate made of a command.
 * - `ok` with events (none for an idempotent repeat): append them;
 * - `rejected`: final, the command breaks a rule — record the rejection and ack;
 * - `not-yet`: a precondition that may come true later (the order is not known yet, not fully paid yet) — retry.
 */
export type Decision =
  | { readonly ok: true; readonly events: readonly DomainEvent[] }
  | { readonly ok: false; readonly kind: 'rejected'; readonly reason: string }
  | { readonly ok: false; readonly kind: 'not-yet'; readonly reason: string };

export interface DecideContext {
  /** ISO time written into the events' `*At` fields: the host's clock, passed in. */
  readonly now: string;
}

export function accepted(events: readonly DomainEvent[]): Decision {
  return { ok: true, events };
}

export const NOTHING_TO_DO: Decision = { ok: true, events: [] };

export function rejected(reason: string): Decision {
  return { ok: false, kind: 'rejected', reason };
}

export function notYet(reason: string): Decision {
  return { ok: false, kind: 'not-yet', reason };
}
