import type { ShopCommand } from '../commands';
import { planFor, stateOf, streamFor } from '../decider';
import { accepted, type Decision } from '../decision';
import type { DomainEvent } from '../../contracts/events/domain';
import { NOW } from './shop-fixtures';

/**
 * The host's command loop in memory, for domain specs: streams by name, each command's plan run step by step
 * (check, then load → decide → append per stream). Appends never conflict here; the real host retries those.
 */
export class InMemoryShop {
  private readonly streams = new Map<string, DomainEvent[]>();

  constructor(history: readonly DomainEvent[] = []) {
    for (const event of history) this.append(streamFor(event), [event]);
  }

  stream(name: string): readonly DomainEvent[] {
    return this.streams.get(name) ?? [];
  }

  /** Every event the command appended, across streams, in order; or the first decision that was not ok. */
  handle(command: ShopCommand, now = NOW): Decision {
    const context = { now };
    const plan = planFor(command);
    let checked: unknown;
    if (plan.check) {
      checked = stateOf(plan.check, this.stream(plan.check.stream));
      const decision = plan.check.decide(checked, context);
      if (!decision.ok) return decision;
    }
    const steps = plan.steps(checked);
    if ('ok' in steps) return steps;
    const appended: DomainEvent[] = [];
    for (const route of steps) {
      const decision = route.decide(stateOf(route, this.stream(route.stream)), context);
      if (!decision.ok) return decision;
      this.append(route.stream, decision.events);
      appended.push(...decision.events);
    }
    return accepted(appended);
  }

  private append(stream: string, events: readonly DomainEvent[]): void {
    for (const event of events) {
      if (streamFor(event) !== stream) throw new Error(`${event.type} does not belong on ${stream}`);
    }
    this.streams.set(stream, [...this.stream(stream), ...events]);
  }
}
