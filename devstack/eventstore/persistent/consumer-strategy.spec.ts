import { createConsumerStrategy, type StrategyConsumer } from './consumer-strategy';
import type { OutstandingMessage } from './message';
import type { LoggedEvent } from './port';

const eventOn = (streamId: string): OutstandingMessage => {
  const event: LoggedEvent = {
    streamId,
    revision: 0n,
    id: crypto.randomUUID(),
    type: 'T',
    contentType: 'application/json',
    data: new Uint8Array(),
    metadata: new Uint8Array(),
    created: 0n,
    position: { commit: 0n, prepare: 0n },
  };
  return { event, original: event, retryCount: 0 };
};

const consumer = (id: string, free = true): StrategyConsumer & { free: boolean } => {
  const c = { id, free, hasCapacity: () => c.free };
  return c;
};

describe('consumer strategies', () => {
  it('RoundRobin rotates over consumers with capacity', () => {
    const strategy = createConsumerStrategy('RoundRobin');
    const consumers = [consumer('a'), consumer('b'), consumer('c', false)];
    const picks = [1, 2, 3, 4].map(() => strategy.pick(eventOn('s'), consumers)?.id);
    expect(picks).toEqual(['a', 'b', 'a', 'b']);
  });

  it('DispatchToSingle fills the first consumer before the next', () => {
    const strategy = createConsumerStrategy('DispatchToSingle');
    const a = consumer('a');
    const consumers = [a, consumer('b')];
    expect(strategy.pick(eventOn('s'), consumers)?.id).toBe('a');
    a.free = false;
    expect(strategy.pick(eventOn('s'), consumers)?.id).toBe('b');
  });

  it('Pinned keeps a stream on one consumer and waits for it when it is busy', () => {
    const strategy = createConsumerStrategy('Pinned');
    const consumers = [consumer('a'), consumer('b')];
    const owner = consumers.find((c) => c === strategy.pick(eventOn('order-1'), consumers))!;
    expect([1, 2, 3].map(() => strategy.pick(eventOn('order-1'), consumers)?.id)).toEqual([
      owner.id,
      owner.id,
      owner.id,
    ]);
    owner.free = false;
    expect(strategy.pick(eventOn('order-1'), consumers)).toBeUndefined();
    strategy.removed(owner.id);
    const rest = consumers.filter((c) => c.id !== owner.id);
    expect(strategy.pick(eventOn('order-1'), rest)?.id).toBe(rest[0]!.id);
  });
});
