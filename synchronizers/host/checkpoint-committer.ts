import type { AllPosition } from '../../lib/catch-up';
import type { Logger } from '../../lib/logger';
import type { CheckpointStore } from './checkpoint-store';

export interface CheckpointEntry {
  readonly name: string;
  readonly position: AllPosition;
}

/**
 * Stores checkpoints at most once per interval instead of after every batch (as Eventuous's checkpoint commit
 * handler does). Under load a live batch holds one or two events, so a write per batch doubled the MongoDB writes;
 * a checkpoint that lags is safe because every projected document carries the `$all` position it has seen, and a
 * replay of what came after the stored checkpoint is skipped by that guard.
 */
export interface CheckpointCommitter {
  /** A batch moved these models: stored now when due (a failed write fails the batch), else within the interval. */
  moved(entries: readonly CheckpointEntry[]): Promise<void>;
  /** Stores what is pending now (at stop). */
  flush(): Promise<void>;
  /** Drops what is pending and forgets what was stored: at a (re)subscription the store is read afresh. */
  reset(): void;
}

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 200;

export function checkpointCommitter(
  store: CheckpointStore,
  logger: Logger,
  intervalMs: number = DEFAULT_CHECKPOINT_INTERVAL_MS,
): CheckpointCommitter {
  const pending = new Map<string, AllPosition>();
  // The models stored since the last reset: a model's first checkpoint is never held back, so "a model that has
  // a position but no stored checkpoint" keeps meaning its data was dropped (see watchForLoss).
  const stored = new Set<string>();
  let lastWrite = 0;
  let timer: NodeJS.Timeout | undefined;
  let generation = 0;
  // One write at a time, so a checkpoint never lands after a newer one.
  let writes: Promise<void> = Promise.resolve();

  const writeNow = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const entries = [...pending].map(([name, position]) => ({ name, position }));
    const at = generation;
    pending.clear();
    lastWrite = performance.now();
    try {
      await store.saveAll(entries);
      if (at === generation) for (const { name } of entries) stored.add(name);
    } catch (error) {
      // Kept for the next write unless a newer position arrived meanwhile, or a reset dropped them.
      if (at === generation)
        for (const { name, position } of entries) if (!pending.has(name)) pending.set(name, position);
      throw error;
    }
  };

  const write = (): Promise<void> => {
    const next = writes.then(writeNow);
    writes = next.catch(() => undefined);
    return next;
  };

  const schedule = (): void => {
    if (timer || pending.size === 0) return;
    const wait = Math.max(0, lastWrite + intervalMs - performance.now());
    timer = setTimeout(() => {
      timer = undefined;
      write().catch((error: unknown) => {
        logger.warn({ err: error }, 'could not store checkpoints; retrying with the next batch');
        schedule();
      });
    }, wait);
    timer.unref();
  };

  return {
    async moved(entries) {
      for (const { name, position } of entries) pending.set(name, position);
      const due =
        entries.some(({ name }) => !stored.has(name)) || performance.now() - lastWrite >= intervalMs;
      if (due) await write();
      else schedule();
    },
    flush: write,
    reset() {
      generation++;
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending.clear();
      stored.clear();
    },
  };
}
