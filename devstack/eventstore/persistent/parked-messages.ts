import type { LoggedEvent, PersistentLogPort } from './port';
import { LINK_EVENT_TYPE, parkedStreamOf } from './names';
import { truncateBeforeOf, writeStreamMetadata } from './stream-metadata';

/**
 * The parked-message stream of one group: `$>` link events whose data is `<revision>@<stream>` of the parked
 * event, metadata `{added, reason, subscriptionEventNumber}`. Replay moves `$tb` past what was replayed.
 */
export class ParkedMessages {
  readonly stream: string;
  private truncateBefore = 0n;
  private lastRevision = -1n;

  constructor(
    private readonly log: PersistentLogPort,
    source: string,
    group: string,
  ) {
    this.stream = parkedStreamOf(source, group);
  }

  async load(): Promise<void> {
    this.truncateBefore = await truncateBeforeOf(this.log, this.stream);
    this.lastRevision = await this.log.lastRevisionOf(this.stream);
  }

  count(): bigint {
    return this.lastRevision < this.truncateBefore ? 0n : this.lastRevision - this.truncateBefore + 1n;
  }

  async park(event: LoggedEvent, original: LoggedEvent, reason: string): Promise<boolean> {
    // A replayed message parked again: its place in the subscription is its event's, not the parked link's.
    const source = original.streamId === this.stream ? event : original;
    const outcome = await this.log.append(this.stream, 'any', [
      {
        id: crypto.randomUUID(),
        type: LINK_EVENT_TYPE,
        contentType: 'application/octet-stream',
        data: Buffer.from(`${event.revision}@${event.streamId}`),
        metadata: Buffer.from(
          JSON.stringify({
            added: new Date().toISOString(),
            reason,
            subscriptionEventNumber: Number(source.revision),
          }),
        ),
      },
    ]);
    if (outcome.ok) this.lastRevision = await this.log.lastRevisionOf(this.stream);
    return outcome.ok;
  }

  /**
   * The parked links from the truncation point up to `stopAt` (exclusive parked-stream revision; everything when
   * undefined), each with the event it links to, and the revision replay reached. Like the real server, a replay
   * delivers the resolved link: the client sees the parked stream's link beside the event and acks the link's id.
   */
  async readForReplay(
    stopAt: bigint | undefined,
  ): Promise<{ entries: { link: LoggedEvent; target: LoggedEvent }[]; upTo: bigint }> {
    const end = stopAt === undefined || stopAt > this.lastRevision + 1n ? this.lastRevision + 1n : stopAt;
    const entries: { link: LoggedEvent; target: LoggedEvent }[] = [];
    for (let from = this.truncateBefore; from < end;) {
      const batch = await this.log.readStream(this.stream, from, Math.min(Number(end - from), 500));
      if (batch.length === 0) break;
      for (const link of batch) {
        if (link.revision >= end) break;
        const target = await this.resolve(link);
        if (target) entries.push({ link, target });
      }
      from = batch[batch.length - 1]!.revision + 1n;
    }
    return { entries, upTo: end };
  }

  async markReplayed(upTo: bigint): Promise<void> {
    if (upTo <= this.truncateBefore) return;
    if (await writeStreamMetadata(this.log, this.stream, { $tb: Number(upTo) })) this.truncateBefore = upTo;
  }

  async clear(): Promise<void> {
    await this.markReplayed(this.lastRevision + 1n);
  }

  private async resolve(link: LoggedEvent): Promise<LoggedEvent | undefined> {
    const text = Buffer.from(link.data).toString('utf8');
    const at = text.indexOf('@');
    if (at <= 0 || !/^\d+$/.test(text.slice(0, at))) return undefined;
    const [target] = await this.log.readStream(text.slice(at + 1), BigInt(text.slice(0, at)), 1);
    return target && target.revision === BigInt(text.slice(0, at)) ? target : undefined;
  }
}
