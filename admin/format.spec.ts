import type { ResolvedEvent } from '@eventstore/db-client';
import { table } from './format';
import { toParkedMessage } from './parked-commands';
import { formatVerify, matchesFilter } from './projection-commands';

describe('admin output', () => {
  it('pads table columns to the widest cell', () => {
    expect(table(['a', 'long header'], [['wide cell', 'x']])).toBe(
      ['a          long header', '---------  -----------', 'wide cell  x'].join('\n'),
    );
  });

  it('summarises verify differences by kind and names the fields that differ', () => {
    const text = formatVerify('orders', {
      checked: 3,
      position: 42,
      differences: [
        {
          id: 'o-1',
          problem: 'different',
          live: { _id: 'o-1', status: 'Paid', n: 1 },
          rebuilt: { _id: 'o-1', status: 'Placed', n: 1 },
        },
        { id: 'o-2', problem: 'missing in live', rebuilt: { _id: 'o-2' } },
      ],
    });
    expect(text).toContain('orders differs from its history: 2 differences (1 different, 1 missing in live)');
    expect(text).toMatch(/o-1\s+different\s+status\n/);
    expect(text).toMatch(/o-2\s+missing in live/);
  });

  it('says when a read model matches', () => {
    expect(formatVerify('requests', { checked: 1, position: 7, differences: [] })).toBe(
      'requests matches its history: 1 document checked against a rebuild up to position 7.',
    );
  });

  it('reads requestId, reason and time of a parked link, reason on one line', () => {
    const created = new Date('2026-01-02T03:04:05Z');
    const resolved = {
      event: { id: 'e-1', type: 'ShopDataReceived', metadata: { $correlationId: 'r-1' }, created },
      link: {
        id: 'l-1',
        type: '$>',
        created,
        metadata: Buffer.from(
          JSON.stringify({
            added: '2026-01-02T03:04:06Z',
            reason: "Client explicitly NAK'ed message.\norder o-9 not placed",
          }),
        ),
      },
    } as unknown as ResolvedEvent;
    expect(toParkedMessage(resolved)).toEqual({
      requestId: 'r-1',
      eventId: 'e-1',
      type: 'ShopDataReceived',
      parkedAt: '2026-01-02T03:04:06Z',
      reason: "Client explicitly NAK'ed message. order o-9 not placed",
    });
  });

  it('judges lag relevance the way the server-side filter does', () => {
    const byType = matchesFilter({ eventTypeRegex: '^(OrderPlaced|OrderPaid)$' });
    expect(byType('OrderPlaced', 'order-1')).toBe(true);
    expect(byType('OrderShipped', 'order-1')).toBe(false);
    const byStream = matchesFilter({ streamNameRegex: '^(shop-input|request-.+)$' });
    expect(byStream('anything', 'request-7')).toBe(true);
    expect(byStream('anything', 'order-7')).toBe(false);
  });
});
