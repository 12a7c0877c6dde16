import type { Logger } from 'pino';
import type { PersistentLogPort } from './port';
import type { SubscriptionDefinition } from './settings';
import { SubscriptionGroup } from './subscription-group';
import { loadDefinitions, saveDefinitions } from './definition-store';
import { subscriptionIdOf } from './names';

export type RegistryOutcome =
  { readonly ok: true } | { readonly ok: false; readonly reason: 'exists' | 'not-found' };

const UPDATED_BY = 'admin';

/**
 * All groups of the server. Changes run one at a time and are persisted before they answer, so a restart on
 * the same data finds every group that was acknowledged.
 */
export class GroupRegistry {
  private readonly groups = new Map<string, SubscriptionGroup>();
  private queue: Promise<unknown>;
  private closed = false;

  constructor(
    private readonly log: PersistentLogPort,
    private readonly logger: Logger,
  ) {
    this.queue = this.loadAll();
  }

  private async loadAll(): Promise<void> {
    for (const definition of await loadDefinitions(this.log)) this.start(definition);
  }

  private start(definition: SubscriptionDefinition): SubscriptionGroup {
    const group = new SubscriptionGroup(definition, this.log, this.logger);
    this.groups.set(subscriptionIdOf(definition.stream, definition.group), group);
    return group;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async find(stream: string, group: string): Promise<SubscriptionGroup | undefined> {
    await this.queue;
    return this.groups.get(subscriptionIdOf(stream, group));
  }

  async all(): Promise<SubscriptionGroup[]> {
    await this.queue;
    return [...this.groups.values()];
  }

  private persist(): Promise<boolean> {
    return saveDefinitions(
      this.log,
      [...this.groups.values()].map((g) => g.definition),
      UPDATED_BY,
    );
  }

  create(definition: SubscriptionDefinition): Promise<RegistryOutcome> {
    return this.serial(async () => {
      if (this.groups.has(subscriptionIdOf(definition.stream, definition.group))) {
        return { ok: false, reason: 'exists' } as const;
      }
      const group = this.start(definition);
      await group.whenReady();
      await this.persist();
      return { ok: true } as const;
    });
  }

  /** Update restarts the group with the new settings; its consumers are dropped and reconnect. */
  update(definition: SubscriptionDefinition): Promise<RegistryOutcome> {
    return this.serial(async () => {
      const id = subscriptionIdOf(definition.stream, definition.group);
      const existing = this.groups.get(id);
      if (!existing) return { ok: false, reason: 'not-found' } as const;
      await existing.stop({ checkpoint: true });
      const group = this.start({
        ...definition,
        ...(existing.definition.filter ? { filter: existing.definition.filter } : {}),
      });
      await group.whenReady();
      await this.persist();
      return { ok: true } as const;
    });
  }

  delete(stream: string, groupName: string): Promise<RegistryOutcome> {
    return this.serial(async () => {
      const id = subscriptionIdOf(stream, groupName);
      const group = this.groups.get(id);
      if (!group) return { ok: false, reason: 'not-found' } as const;
      this.groups.delete(id);
      await group.stop({ checkpoint: false });
      await this.persist();
      await group.forget();
      return { ok: true } as const;
    });
  }

  /** Stops every group and loads them again from the stored definitions (RestartSubsystem). */
  restart(): Promise<void> {
    return this.serial(async () => {
      const groups = [...this.groups.values()];
      this.groups.clear();
      await Promise.all(groups.map((g) => g.stop({ checkpoint: true })));
      if (!this.closed) await this.loadAll();
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return this.serial(async () => {
      const groups = [...this.groups.values()];
      this.groups.clear();
      await Promise.all(groups.map((g) => g.stop({ checkpoint: true })));
    });
  }
}
