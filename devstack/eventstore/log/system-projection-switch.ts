import { randomUUID } from 'node:crypto';
import {
  projectSystemLinks,
  SYSTEM_PROJECTION_NAMES,
  type LinkTarget,
  type ProjectedLink,
  type SystemProjectionName,
} from './system-projections';
import type { AppendResult, ProposedEvent } from './types';

/** What catching up needs from the log: every event written so far (durable or not), and appends. */
export interface CatchUpLog {
  readonly writtenCount: number;
  writtenEventAt(sequence: number): LinkTarget | undefined;
  append(streamId: string, expected: 'any', events: ProposedEvent[]): Promise<AppendResult>;
}

/**
 * Which system projections run. Stopping one remembers where it stopped; starting it again first writes the links
 * for everything appended meanwhile (from the beginning when it never ran), as EventStoreDB resumes a projection
 * from its checkpoint, and only then lets new appends carry its links, so each link stream keeps `$all` order.
 */
export class SystemProjectionSwitch {
  private readonly running: Set<SystemProjectionName>;
  private readonly stoppedAt = new Map<SystemProjectionName, number>();
  private readonly starting = new Map<SystemProjectionName, Promise<void>>();
  /** Stopped again while catching up: it stays stopped where the catch-up got to. */
  private readonly stopRequested = new Set<SystemProjectionName>();

  constructor(startRunning: boolean) {
    this.running = new Set(startRunning ? SYSTEM_PROJECTION_NAMES : []);
  }

  get runningProjections(): ReadonlySet<SystemProjectionName> {
    return this.running;
  }

  isRunning(name: SystemProjectionName): boolean {
    return this.running.has(name);
  }

  stop(name: SystemProjectionName, writtenCount: number): void {
    if (this.starting.has(name)) this.stopRequested.add(name);
    if (!this.running.delete(name)) return;
    this.stoppedAt.set(name, writtenCount);
  }

  start(name: SystemProjectionName, log: CatchUpLog): Promise<void> {
    if (this.running.has(name)) return Promise.resolve();
    let started = this.starting.get(name);
    if (!started) {
      started = this.catchUp(name, log).finally(() => this.starting.delete(name));
      this.starting.set(name, started);
    }
    return started;
  }

  private async catchUp(name: SystemProjectionName, log: CatchUpLog): Promise<void> {
    const only = new Set([name]);
    let cursor = this.stoppedAt.get(name) ?? 0;
    for (;;) {
      const upTo = log.writtenCount;
      // Checked and switched in one step: no append can slip between the last catch-up and going live.
      if (this.stopRequested.delete(name)) {
        this.stoppedAt.set(name, cursor);
        return;
      }
      if (cursor >= upTo) {
        this.running.add(name);
        this.stoppedAt.delete(name);
        return;
      }
      const byStream = new Map<string, ProposedEvent[]>();
      for (let sequence = cursor; sequence < upTo; sequence++) {
        const event = log.writtenEventAt(sequence);
        const links: ProjectedLink[] = event ? projectSystemLinks(event, randomUUID, only) : [];
        for (const link of links)
          byStream.set(link.streamId, [...(byStream.get(link.streamId) ?? []), link.event]);
      }
      await Promise.all([...byStream].map(([streamId, events]) => log.append(streamId, 'any', events)));
      cursor = upTo;
    }
  }
}
