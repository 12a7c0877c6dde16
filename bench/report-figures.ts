import type { BenchResults } from './report';
import { formatNumber, table, valueAt, withUnit } from './report-format';
import { CPU_MS_PER_ORDER_BUDGETS } from './targets';

function keepUpContext(r: BenchResults): string {
  const steps = r.e2e?.keepUpSteps;
  if (!Array.isArray(steps) || steps.length === 0) return 'not measured';
  return (steps as Record<string, unknown>[])
    .map((step) => {
      const at = (key: string) => (typeof step[key] === 'number' ? step[key] : Number.NaN);
      return `${formatNumber(at('offeredRate'))}/s: p99 ${formatNumber(at('p99Ms'))} ms, ${at('notVisible').toLocaleString('en-US')} not visible`;
    })
    .join('; ');
}

/** One row per process: CPU ms per order in the e2e window, against its budget. */
function cpuRows(r: BenchResults): string[][] {
  return Object.entries(CPU_MS_PER_ORDER_BUDGETS).map(([name, budget]) => [
    `\`e2e.cpuMsPerOrder.${name}\``,
    figure(r, `e2e.cpuMsPerOrder.${name}`, 'ms'),
    `budget ${formatNumber(budget)} ms`,
    ratio(r, `e2e.cpuMsPerOrder.${name}`, `e2e.cpuMsPerOrder.pipeline`),
  ]);
}

function figure(results: BenchResults, key: string, unit = ''): string {
  const value = valueAt(results, key);
  if (value === undefined) return 'n/a';
  return unit === '' ? formatNumber(value) : withUnit(value, unit);
}

function ratio(results: BenchResults, numerator: string, denominator: string): string {
  const a = valueAt(results, numerator);
  const b = valueAt(results, denominator);
  return a === undefined || b === undefined || b === 0 ? 'n/a' : `${formatNumber(a / b)}×`;
}

/** The alternating rounds of one processor and the peer, as `ours / peer` per round. */
function peerRounds(r: BenchResults): string {
  const rounds = (r.processing as { peerRounds?: unknown } | undefined)?.peerRounds;
  if (!Array.isArray(rounds) || rounds.length === 0) return 'one run';
  const each = (rounds as { ordersPerSec?: unknown; emmettOrdersPerSec?: unknown }[]).map(
    (round) =>
      `${formatNumber(Number(round.ordersPerSec))} / ${formatNumber(Number(round.emmettOrdersPerSec))}`,
  );
  return `${rounds.length} alternating rounds (${each.join(', ')})`;
}

function e2eLatencyContext(r: BenchResults): string {
  const max = `max ${figure(r, 'e2e.maxMs', 'ms')}`;
  const notVisible = valueAt(r, 'e2e.notVisible') ?? 0;
  if (notVisible === 0) return max;
  return `${max}; ${formatNumber(notVisible)} orders never became visible before the bench stopped waiting: they count with the time waited, so these are lower bounds`;
}

function rebuildContext(r: BenchResults): string {
  const all = `${figure(r, 'rebuild.events')} domain events`;
  if (r.rebuild?.completed === false) {
    return `stopped by the time limit after ${figure(r, 'rebuild.seconds', 's')}, ${figure(r, 'rebuild.eventsDone')} of ${all} done (from the \`$all\` position reached)`;
  }
  return `${all} in ${figure(r, 'rebuild.seconds', 's')}`;
}

/** The figures rows, each value computed the same way for this run and for the previous one. */
function figureRows(r: BenchResults): string[][] {
  return [
    [
      '`ingest.reqPerSec`',
      figure(r, 'ingest.reqPerSec', '/s'),
      '`ingest.bareExpressReqPerSec` ' + figure(r, 'ingest.bareExpressReqPerSec', '/s'),
      ratio(r, 'ingest.reqPerSec', 'ingest.bareExpressReqPerSec'),
    ],
    [
      '`ingest.p50Ms` / `ingest.p99Ms` (open loop, 1,000 req/s offered)',
      `${figure(r, 'ingest.p50Ms', 'ms')} / ${figure(r, 'ingest.p99Ms', 'ms')}`,
      `achieved ${figure(r, 'ingest.openLoopReqPerSec', '/s')}`,
      '',
    ],
    [
      'ingest p50 / p99, closed loop 64 connections',
      `${figure(r, 'ingest.closedLoopP50Ms', 'ms')} / ${figure(r, 'ingest.closedLoopP99Ms', 'ms')}`,
      `bare Express p99 ${figure(r, 'ingest.bareExpressP99Ms', 'ms')}`,
      ratio(r, 'ingest.closedLoopP99Ms', 'ingest.bareExpressP99Ms'),
    ],
    [
      '`e2e.p50Ms` / `e2e.p99Ms` (500 orders/s offered)',
      `${figure(r, 'e2e.p50Ms', 'ms')} / ${figure(r, 'e2e.p99Ms', 'ms')}`,
      e2eLatencyContext(r),
      '',
    ],
    [
      '`e2e.coldStart.p50Ms` / `e2e.coldStart.p99Ms` (the warm-up: 500/s to services just started, not counted)',
      `${figure(r, 'e2e.coldStart.p50Ms', 'ms')} / ${figure(r, 'e2e.coldStart.p99Ms', 'ms')}`,
      `max ${figure(r, 'e2e.coldStart.maxMs', 'ms')}; visible ${figure(r, 'e2e.coldStart.visible')} of ${figure(r, 'e2e.coldStart.sent')}`,
      '',
    ],
    [
      '`e2e.ordersPerSec`',
      figure(r, 'e2e.ordersPerSec', '/s'),
      `offered ${figure(r, 'e2e.offeredRate', '/s')}; visible ${figure(r, 'e2e.visible')} of ${figure(r, 'e2e.sent')} sent`,
      ratio(r, 'e2e.ordersPerSec', 'e2e.offeredRate'),
    ],
    ['`e2e.maxKeepingUpPerSec`', figure(r, 'e2e.maxKeepingUpPerSec', '/s'), keepUpContext(r), ''],
    ...cpuRows(r),
    [
      '`processing.eventsPerSec1`',
      figure(r, 'processing.eventsPerSec1', '/s'),
      `1 process; ${figure(r, 'processing.messages')} input messages pre-filled`,
      '',
    ],
    [
      '`processing.ratioToEmmett`',
      figure(r, 'processing.ratioToEmmett', '×'),
      `\`processing.comparedOrdersPerSec\` ${figure(r, 'processing.comparedOrdersPerSec', '/s')} ÷ \`processing.emmettOrdersPerSec\` ${figure(r, 'processing.emmettOrdersPerSec', '/s')}, each side's best of ${peerRounds(r)} (the peer's CPU ${figure(r, 'processing.emmettCpuMsPerOrder', 'ms')} per order)`,
      ratio(r, 'processing.comparedOrdersPerSec', 'processing.emmettOrdersPerSec'),
    ],
    ['`processing.eventsPerSec2`', figure(r, 'processing.eventsPerSec2', '/s'), '2 processes', ''],
    ['`scaling.ratio2to1`', figure(r, 'scaling.ratio2to1', '×'), '', ''],
    ['`rebuild.eventsPerSec`', figure(r, 'rebuild.eventsPerSec', '/s'), rebuildContext(r), ''],
    [
      '`rebuild.ratioToRead`',
      figure(r, 'rebuild.ratioToRead', '×'),
      '`rebuild.readEventsPerSec` (the same history read by a process of its own) ' +
        figure(r, 'rebuild.readEventsPerSec', '/s'),
      ratio(r, 'rebuild.eventsPerSec', 'rebuild.readEventsPerSec'),
    ],
    [
      '`rebuild.cpuUsPerEvent` (rebuild + devstack)',
      `${figure(r, 'rebuild.cpuUsPerEvent.rebuild', 'µs')} + ${figure(r, 'rebuild.cpuUsPerEvent.devstack', 'µs')}`,
      `the read: \`rebuild.readCpuUsPerEvent\` ${figure(r, 'rebuild.readCpuUsPerEvent.reader', 'µs')} + ${figure(r, 'rebuild.readCpuUsPerEvent.devstack', 'µs')} (reader + devstack); CPU of all threads, per event`,
      '',
    ],
    [
      '`snapshot.load10kMsWith` / `snapshot.load10kMsWithout` (load of a 10,000-event order stream)',
      `${figure(r, 'snapshot.load10kMsWith', 'ms')} / ${figure(r, 'snapshot.load10kMsWithout', 'ms')}`,
      `snapshot + ${figure(r, 'snapshot.tailEvents')} events vs the whole stream; first load of a processor ${figure(r, 'snapshot.load10kMsWithFirst', 'ms')}`,
      ratio(r, 'snapshot.load10kMsWithout', 'snapshot.load10kMsWith'),
    ],
    [
      'order fold of 1,000 / 2,000 distinct payments (in memory)',
      `${figure(r, 'snapshot.fold1kPaymentsMs', 'ms')} / ${figure(r, 'snapshot.fold2kPaymentsMs', 'ms')}`,
      'evolve copies the payments on each one: twice the payments, about four times the time',
      ratio(r, 'snapshot.fold2kPaymentsMs', 'snapshot.fold1kPaymentsMs'),
    ],
    [
      '`devstack.appendEventsPerSec`',
      figure(r, 'devstack.appendEventsPerSec', '/s'),
      '`devstack.fsyncPerSec` ' + figure(r, 'devstack.fsyncPerSec', '/s'),
      `${ratio(r, 'devstack.appendEventsPerSec', 'devstack.fsyncPerSec')} (events per raw fsync)`,
    ],
    [
      'devstack single-event appends',
      figure(r, 'devstack.singleAppendsPerSec', '/s'),
      '`devstack.fsyncPerSec`',
      ratio(r, 'devstack.singleAppendsPerSec', 'devstack.fsyncPerSec'),
    ],
    [
      'devstack read `$all` / catch-up subscription',
      `${figure(r, 'devstack.readAllEventsPerSec', '/s')} / ${figure(r, 'devstack.subscriptionEventsPerSec', '/s')}`,
      '',
      '',
    ],
    [
      '`devstack.mongoUpsertsPerSec`',
      figure(r, 'devstack.mongoUpsertsPerSec', '/s'),
      `on ${figure(r, 'devstack.documents')} documents`,
      '',
    ],
    [
      '`devstack.mongoLookupsPerSec`',
      figure(r, 'devstack.mongoLookupsPerSec', '/s'),
      'indexed point lookups',
      '',
    ],
    [
      'devstack Mongo bulk inserts / aggregate',
      `${figure(r, 'devstack.bulkInsertsPerSec', '/s')} / ${figure(r, 'devstack.aggregateDocsPerSec', '/s')}`,
      'documents per second',
      '',
    ],
  ];
}

/** Every figure with its same-run baseline, and the previous run's value beside it so a regression shows. */
export function figuresTable(r: BenchResults, previous?: BenchResults): string {
  const rows = figureRows(r);
  const before = previous ? figureRows(previous) : [];
  return table(
    ['figure', 'value', 'previous run', 'baseline / context (same run)', 'ratio'],
    rows.map(([name = '', value = '', ...rest], i) => [name, value, before[i]?.[1] ?? 'n/a', ...rest]),
  );
}
