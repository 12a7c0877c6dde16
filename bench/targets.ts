/** The figures the issue sets targets for, each read from latest.json by its dotted key. */
export interface Target {
  readonly key: string;
  readonly what: string;
  /** `min`: the figure must be at least `threshold`; `max`: it must stay below `threshold`. */
  readonly kind: 'min' | 'max';
  readonly threshold: number;
  readonly unit: string;
}

export const TARGETS: readonly Target[] = [
  {
    key: 'ingest.ratioToBare',
    what: 'ingest req/s (closed loop, 64 connections) ÷ bare Express req/s',
    kind: 'min',
    threshold: 0.5,
    unit: '×',
  },
  {
    key: 'ingest.p99Ms',
    what: 'ingest p99 at 1,000 req/s offered (open loop)',
    kind: 'max',
    threshold: 20,
    unit: 'ms',
  },
  {
    key: 'e2e.p50Ms',
    what: 'POST → visible in `orders`, p50 at 500 orders/s',
    kind: 'max',
    threshold: 30,
    unit: 'ms',
  },
  {
    key: 'e2e.p99Ms',
    what: 'POST → visible in `orders`, p99 at 500 orders/s',
    kind: 'max',
    threshold: 150,
    unit: 'ms',
  },
  {
    key: 'e2e.ordersPerSec',
    what: 'orders made visible per second while 500/s are offered (keeps up)',
    kind: 'min',
    threshold: 500 * 0.95,
    unit: '/s',
  },
  {
    key: 'scaling.ratio2to1',
    what: 'processing throughput, 2 processes ÷ 1 process',
    kind: 'min',
    threshold: 1.6,
    unit: '×',
  },
  {
    key: 'rebuild.eventsPerSec',
    what: 'rebuild of all read models, domain events per second',
    kind: 'min',
    threshold: 50_000,
    unit: '/s',
  },
  {
    key: 'devstack.appendEventsPerSec',
    what: 'embedded EventStoreDB, batched appends (100/batch), events per second',
    kind: 'min',
    threshold: 20_000,
    unit: '/s',
  },
];
