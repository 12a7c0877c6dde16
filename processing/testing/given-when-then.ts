import type { ShopCommand } from '../commands';
import type { Decision } from '../decision';
import type { DomainEvent } from '../../contracts/events/domain';
import { InMemoryShop } from './in-memory-shop';
import { NOW } from './shop-fixtures';

/**
 * Domain specs in shop language: `given(history).when(command).thenEvents([...])`. The history is every domain
 * event so far, each on its own stream; the command runs its whole plan (e.g. the order's step, then the
 * payment's), and `thenEvents` lists what it appended across streams, in order.
 * (No `.then` method: an object with one would be taken for a promise.)
 */
export function given(history: readonly DomainEvent[]): {
  when: (command: ShopCommand, now?: string) => Outcome;
} {
  return { when: (command, now = NOW) => new Outcome(decide(history, command, now)) };
}

export class Outcome {
  constructor(readonly decision: Decision) {}

  thenEvents(expected: readonly DomainEvent[]): void {
    expect(this.decision).toEqual({ ok: true, events: expected });
  }

  /** Accepted and changes nothing: an idempotent repeat. */
  thenNothing(): void {
    this.thenEvents([]);
  }

  thenRejected(reason: string | RegExp): void {
    expect(this.decision).toMatchObject({ ok: false, kind: 'rejected' });
    expectReason(this.decision, reason);
  }

  thenNotYet(reason: string | RegExp): void {
    expect(this.decision).toMatchObject({ ok: false, kind: 'not-yet' });
    expectReason(this.decision, reason);
  }
}

function decide(history: readonly DomainEvent[], command: ShopCommand, now: string): Decision {
  return new InMemoryShop(history).handle(command, now);
}

function expectReason(decision: Decision, reason: string | RegExp): void {
  const actual = decision.ok ? undefined : decision.reason;
  if (typeof reason === 'string') expect(actual).toBe(reason);
  else expect(actual).toMatch(reason);
}
