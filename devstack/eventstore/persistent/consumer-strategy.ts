import type { ConsumerStrategyName } from './settings';
import type { OutstandingMessage } from './message';

/** How a message picks its consumer: RoundRobin, DispatchToSingle, Pinned (by stream) or PinnedByCorrelation. */

export interface StrategyConsumer {
  readonly id: string;
  hasCapacity(): boolean;
}

const PINNED_BUCKETS = 1024;

export interface ConsumerStrategy {
  /** The consumer for `message`, or undefined to leave it for later (Pinned: its consumer is busy). */
  pick(message: OutstandingMessage, consumers: readonly StrategyConsumer[]): StrategyConsumer | undefined;
  removed(consumerId: string): void;
}

function roundRobin(): ConsumerStrategy {
  let next = 0;
  return {
    pick(_message, consumers) {
      for (let i = 0; i < consumers.length; i += 1) {
        const index = (next + i) % consumers.length;
        const consumer = consumers[index]!;
        if (consumer.hasCapacity()) {
          next = index + 1;
          return consumer;
        }
      }
      return undefined;
    },
    removed() {},
  };
}

function dispatchToSingle(): ConsumerStrategy {
  return {
    pick: (_message, consumers) => consumers.find((c) => c.hasCapacity()),
    removed() {},
  };
}

function hashOf(text: string): number {
  // FNV-1a: stable across restarts and processes, which is all pinning needs.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function correlationIdOf(message: OutstandingMessage): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(message.event.metadata).toString('utf8'));
    if (parsed && typeof parsed === 'object' && '$correlationId' in parsed) {
      const id = parsed.$correlationId;
      return typeof id === 'string' ? id : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function pinned(keyOf: (message: OutstandingMessage) => string): ConsumerStrategy {
  const owners = new Map<number, string>();
  const load = new Map<string, number>();
  return {
    pick(message, consumers) {
      if (consumers.length === 0) return undefined;
      const bucket = hashOf(keyOf(message)) % PINNED_BUCKETS;
      let owner = consumers.find((c) => c.id === owners.get(bucket));
      if (!owner) {
        owner = consumers.reduce((least, c) =>
          (load.get(c.id) ?? 0) < (load.get(least.id) ?? 0) ? c : least,
        );
        owners.set(bucket, owner.id);
        load.set(owner.id, (load.get(owner.id) ?? 0) + 1);
      }
      return owner.hasCapacity() ? owner : undefined;
    },
    removed(consumerId) {
      for (const [bucket, owner] of owners) if (owner === consumerId) owners.delete(bucket);
      load.delete(consumerId);
    },
  };
}

export function createConsumerStrategy(name: ConsumerStrategyName): ConsumerStrategy {
  switch (name) {
    case 'RoundRobin':
      return roundRobin();
    case 'DispatchToSingle':
      return dispatchToSingle();
    case 'Pinned':
      return pinned((m) => m.event.streamId);
    case 'PinnedByCorrelation':
      return pinned((m) => correlationIdOf(m) ?? m.event.streamId);
  }
}
