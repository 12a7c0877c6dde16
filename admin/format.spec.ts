import { toParkedEntry } from '../lib/parked-messages';
import { table } from './format';
import { formatParked, toParkedMessage } from './parked-view';
import { formatVerify } from './projection-commands';
import { createLogger } from '../lib/logger';
import { figures, progressLine, startProgress } from './progress';
import { formatSubscriptionInfo } from './subscription-commands';

describe('admin output', () => {
  it('pads table columns to the widest cell', () => {
    expect(table(['a', 'long header'], [['wide cell', 'x']])).toBe(
      ['a          long header', '---------  -----------', 'wide cell  x'].join('\n'),
    );
  });

  it('summarises verify differences by kind and names the fields that differ', () => {
    const text = formatVerify({
      readModel: 'orders',
      position: 42,
      diff: {
        different: [{ id: 'o-1', fields: ['status'] }],
        onlyRebuilt: ['o-2'],
        onlyLive: [],
        newerLive: 0,
        compared: 3,
      },
    });
    expect(text).toContain('orders differs from its history: 2 differences (1 different, 1 missing in live)');
    expect(text).toMatch(/o-1\s+different\s+status\n/);
    expect(text).toMatch(/o-2\s+missing in live/);
  });

  it('says when a read model matches', () => {
    const diff = { different: [], onlyRebuilt: [], onlyLive: [], newerLive: 2, compared: 1 };
    expect(formatVerify({ readModel: 'requests', position: 7, diff })).toBe(
      'requests matches its history: 1 document checked against a rebuild up to position 7.',
    );
  });

  const created = new Date('2026-01-02T03:04:05Z');
  const parkedLink = (reason: string) => ({
    event: {
      id: 'e-1',
      type: 'ShopDataReceived',
      streamId: 'shop-input',
      revision: 4n,
      metadata: { $correlationId: 'r-1', applies: 'Payment' },
      data: { action: 'pay' },
      created,
    },
    link: {
      revision: 7n,
      created,
      metadata: Buffer.from(JSON.stringify({ added: '2026-01-02T03:04:06Z', reason })),
    },
  });

  it('reads requestId and the server reason of a parked link, reason on one line', () => {
    const entry = toParkedEntry(parkedLink("Client explicitly NAK'ed message.\norder o-9 not placed"))!;
    expect(entry.revision).toBe(7n);
    const message = toParkedMessage(entry, []);
    expect(message).toMatchObject({
      requestId: 'r-1',
      eventId: 'e-1',
      type: 'ShopDataReceived',
      reason: "Client explicitly NAK'ed message. order o-9 not placed",
      retryCount: undefined,
      state: 'parked',
    });
  });

  it("prefers the processor's full reason and attempts, and names who skipped a settled entry", () => {
    const entry = toParkedEntry(parkedLink("Client explicitly NAK'ed message.\nstill wait"))!;
    const at = (revision: bigint, type: string, data: Record<string, unknown>) => ({
      type,
      revision,
      created,
      data: { requestId: 'r-1', inputEventId: 'e-1', ...data },
    });
    const parked = at(0n, 'ShopDataParked', {
      reason: 'still waiting after 600 s: order o-9 has not been placed yet',
      retryCount: 125,
      firstAttemptAt: '2026-01-02T02:54:05.000Z',
      lastAttemptAt: '2026-01-02T03:04:05.000Z',
    });
    const message = toParkedMessage(entry, [parked]);
    expect(message).toMatchObject({
      reason: 'still waiting after 600 s: order o-9 has not been placed yet',
      retryCount: 125,
      firstAttemptAt: '2026-01-02T02:54:05.000Z',
      state: 'parked',
    });
    const skipped = toParkedMessage(entry, [parked, at(1n, 'ShopDataRejected', { skippedBy: 'ada' })]);
    expect(skipped.state).toBe('skipped by ada');
    expect(formatParked([skipped], 100)).toContain('settled since (skipped or replayed)');
  });

  it('redraws one progress line on a terminal and logs JSON lines otherwise', () => {
    let now = 0;
    const clock = () => now;
    const written: string[] = [];
    const terminal = startProgress(
      'replay',
      'messages',
      4,
      { isTTY: true, write: (t) => void written.push(t) },
      createLogger('t', { level: 'silent' }),
      { clock },
    );
    now = 1000;
    terminal.update(2);
    terminal.finish();
    expect(written).toEqual([
      '\r\x1b[2Kreplay: 2/4 messages (50%), 2.0/s, ETA 1 s',
      '\r\x1b[2Kreplay: 2/4 messages (50%), 2.0/s, ETA 1 s\n',
    ]);

    const lines: string[] = [];
    const logger = createLogger('admin', { destination: { write: (line: string) => void lines.push(line) } });
    const logged = startProgress(
      'replay',
      'messages',
      4,
      { isTTY: false, write: (t) => void written.push(t) },
      logger,
      { clock },
    );
    logged.update(4);
    logged.finish();
    expect(written).toHaveLength(2);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ msg: 'replay in progress', done: 4, total: 4, progress: 'replay' }),
      expect.objectContaining({ msg: 'replay finished', done: 4, total: 4 }),
    ]);
  });

  it('shows progress as done / total, rate and ETA', () => {
    const line = progressLine('rebuild orders', 'log position', figures(250, 1000, 5000));
    expect(line).toBe('rebuild orders: 250/1000 log position (25%), 50.0/s, ETA 15 s');
    expect(figures(0, 10, 0).etaSeconds).toBeUndefined();
  });

  it("shows a rebuild's events done and their rate, with the share of the log done and the ETA", () => {
    const line = progressLine('rebuild orders', 'log', figures(250, 1000, 5000, 40_000), 'events');
    expect(line).toBe('rebuild orders: 40000 events, 8000.0/s, 25% of the log, ETA 15 s');
    const lines: string[] = [];
    const logger = createLogger('admin', { destination: { write: (l: string) => void lines.push(l) } });
    const sink = { isTTY: false, write: () => undefined };
    startProgress('rebuild orders', 'log', 1000, sink, logger, { counted: 'events' }).update(250, 40_000);
    expect(JSON.parse(lines[0]!)).toMatchObject({ done: 250, counted: 40_000, countedUnit: 'events' });
  });

  it('shows the processors\' max retry count, not the group\'s server-side limit, as "max retry count"', () => {
    // The group's own limit sits above every retry the processors ask for (3 for 1 retry and a 300 ms window).
    const info = {
      groupName: 'shop-processing',
      eventSource: 'shop-input',
      status: 'Live',
      connections: [],
      settings: { maxRetryCount: 3 },
      stats: { totalInFlightMessages: 0, parkedMessageCount: 0n, retryBufferCount: 0 },
    } as unknown as Parameters<typeof formatSubscriptionInfo>[0];
    const text = formatSubscriptionInfo(info, { maxRetryCount: 1, waitWindowMs: 300 });
    expect(text).toMatch(/^max retry count:\s+1 \(PROCESSING_MAX_RETRY/m);
    expect(text).toMatch(/^server retry limit:\s+3 \(/m);
    expect(text).not.toContain('processors with these settings set it to');
    const drifted = formatSubscriptionInfo(info, { maxRetryCount: 10, waitWindowMs: 300 });
    expect(drifted).toContain('processors with these settings set it to 11 when they start');
  });
});
