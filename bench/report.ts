import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProfileSummary } from './cpu-profile';
import type { Machine } from './machine';
import { TARGETS, type Target } from './targets';

/** Everything one bench run measured; stages that failed are absent and named in `errors`. */
export interface BenchResults {
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  /** `git describe --always --dirty` of the code measured. */
  readonly revision?: string;
  readonly durationSeconds: number;
  readonly machine: Machine;
  readonly ingest?: Readonly<Record<string, unknown>>;
  readonly e2e?: Readonly<Record<string, unknown>>;
  readonly processing?: Readonly<Record<string, unknown>>;
  readonly scaling?: Readonly<Record<string, unknown>>;
  readonly rebuild?: Readonly<Record<string, unknown>>;
  readonly devstack?: Readonly<Record<string, unknown>>;
  readonly profiles?: Record<string, Record<string, ProfileSummary>>;
  readonly errors: Record<string, string>;
}

/** Hand-written analysis of a missed target: what limits it (from the profiles) and the next step. */
export interface Finding {
  readonly limit: string;
  readonly nextStep: string;
  /** Which profile run backs it up (`e2e` or `rebuild`). */
  readonly profile?: string;
}

export type Evaluation =
  | { readonly status: 'met'; readonly value: number; readonly text: string }
  | { readonly status: 'missed'; readonly value: number; readonly text: string }
  | { readonly status: 'not measured'; readonly text: string };

/** Reads a dotted key (`ingest.p99Ms`) from the results; undefined unless it is a finite number. */
export function valueAt(results: object, key: string): number | undefined {
  let current: unknown = results;
  for (const part of key.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return typeof current === 'number' && Number.isFinite(current) ? current : undefined;
}

/** Thousands separators from 100 up, two decimals for small ratios and latencies. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function withUnit(value: number, unit: string): string {
  if (unit === '×') return `${formatNumber(value)}×`;
  if (unit === '/s') return `${formatNumber(value)}/s`;
  return `${formatNumber(value)} ${unit}`;
}

export function targetText(target: Target): string {
  return `${target.kind === 'min' ? '≥' : '<'} ${withUnit(target.threshold, target.unit)}`;
}

/** Met or missed, and for a miss by how much: the shortfall or excess in the figure's unit and as a factor. */
export function evaluate(target: Target, value: number | undefined): Evaluation {
  if (value === undefined) return { status: 'not measured', text: 'not measured' };
  const shown = withUnit(value, target.unit);
  if (target.kind === 'min') {
    if (value >= target.threshold) return { status: 'met', value, text: `met (${shown})` };
    const short = target.threshold - value;
    const factor = value > 0 ? ` (target is ${formatNumber(target.threshold / value)}× the figure)` : '';
    const percent = Math.round((short / target.threshold) * 100);
    return {
      status: 'missed',
      value,
      text: `missed by ${withUnit(short, target.unit)}: ${percent}% short${factor}`,
    };
  }
  if (value < target.threshold) return { status: 'met', value, text: `met (${shown})` };
  return {
    status: 'missed',
    value,
    text: `missed by ${withUnit(value - target.threshold, target.unit)}: ${formatNumber(value / target.threshold)}× the limit`,
  };
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
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

function figuresTable(r: BenchResults): string {
  const rows: string[][] = [
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
      '`e2e.ordersPerSec`',
      figure(r, 'e2e.ordersPerSec', '/s'),
      `offered ${figure(r, 'e2e.offeredRate', '/s')}; visible ${figure(r, 'e2e.visible')} of ${figure(r, 'e2e.sent')} sent`,
      ratio(r, 'e2e.ordersPerSec', 'e2e.offeredRate'),
    ],
    [
      '`processing.eventsPerSec1`',
      figure(r, 'processing.eventsPerSec1', '/s'),
      `${figure(r, 'processing.messages')} input messages pre-filled`,
      '',
    ],
    ['`processing.eventsPerSec2`', figure(r, 'processing.eventsPerSec2', '/s'), '1 process', ''],
    ['`scaling.ratio2to1`', figure(r, 'scaling.ratio2to1', '×'), '', ''],
    ['`rebuild.eventsPerSec`', figure(r, 'rebuild.eventsPerSec', '/s'), rebuildContext(r), ''],
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
  return table(['figure', 'value', 'baseline / context (same run)', 'ratio'], rows);
}

function targetsTable(r: BenchResults): string {
  return table(
    ['key', 'what', 'target', 'figure', 'result'],
    TARGETS.map((t) => {
      const value = valueAt(r, t.key);
      return [
        `\`${t.key}\``,
        t.what,
        targetText(t),
        value === undefined ? 'n/a' : withUnit(value, t.unit),
        evaluate(t, value).text,
      ];
    }),
  );
}

function rssRows(section: Readonly<Record<string, unknown>> | undefined, run: string): string[][] {
  const rss = section?.peakRssMiB;
  if (typeof rss !== 'object' || rss === null) return [];
  return Object.entries(rss as Record<string, unknown>).map(([name, mib]) => [
    name,
    run,
    typeof mib === 'number' ? formatNumber(mib) : 'n/a',
  ]);
}

function rssTable(r: BenchResults): string {
  const rows = [...rssRows(r.e2e, 'e2e'), ...rssRows(r.rebuild, 'rebuild')];
  if (rows.length === 0) return '_no run completed; no RSS figures._';
  return table(['process', 'run', 'peak RSS (MiB)'], rows);
}

export function profileLines(profiles: Record<string, ProfileSummary> | undefined): string[] {
  if (!profiles || Object.keys(profiles).length === 0)
    return ['_no profile in this run (`--quick` skips profiling)._'];
  const busiestFirst = Object.entries(profiles).sort(
    (a, b) => b[1].busyMs / b[1].wallMs - a[1].busyMs / a[1].wallMs,
  );
  return busiestFirst.map(([name, p]) => {
    const busy = Math.round((p.busyMs / Math.max(1, p.wallMs)) * 100);
    const top = p.top
      .map((f) => `\`${f.name}\`${f.where ? ` (${f.where})` : ''} ${Math.round(f.share * 100)}%`)
      .join(', ');
    return `- **${name}**: busy ${busy}% of ${formatNumber(p.wallMs / 1000)} s; top self time: ${top}`;
  });
}

function missedSection(r: BenchResults, findings: Readonly<Record<string, Finding>>): string {
  const parts: string[] = [];
  for (const target of TARGETS) {
    const evaluation = evaluate(target, valueAt(r, target.key));
    if (evaluation.status === 'met') continue;
    const finding = findings[target.key];
    parts.push(`### \`${target.key}\`: ${evaluation.text} (target ${targetText(target)})`);
    if (finding) {
      parts.push(`- **What limits it:** ${finding.limit}`);
      if (finding.profile)
        parts.push(`- **Profile (${finding.profile} run):** see the ${finding.profile} profile below.`);
      parts.push(`- **Next step:** ${finding.nextStep}`);
    } else {
      parts.push('- No analysis written for this miss yet: profile the process named below and add it.');
    }
    parts.push('');
  }
  return parts.length === 0 ? 'Every target was met in this run.' : parts.join('\n');
}

export interface ReportText {
  /** Where the bench ran, how processes shared the cores, what each stage does. */
  readonly method: string;
  readonly closingNote: string;
}

/** The whole BENCHMARKS.md: pure, so the formatting is testable. */
export function renderMarkdown(
  r: BenchResults,
  findings: Readonly<Record<string, Finding>>,
  text: ReportText,
): string {
  const m = r.machine;
  const errors = Object.entries(r.errors);
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\` (${r.mode} mode) on ${r.startedAt}, ` +
      `in ${formatNumber(r.durationSeconds)} s${r.revision ? `, code at \`${r.revision}\`` : ''}. ` +
      'Machine-readable: `bench/results/latest.json`.',
    '',
    '## Machine',
    '',
    table(
      ['CPU', 'cores', 'RAM', 'Node', 'OS', 'load average at start'],
      [
        [
          m.cpuModel,
          String(m.cores),
          `${formatNumber(m.ramGiB)} GiB`,
          m.node,
          m.os,
          m.loadAverage.map(formatNumber).join(' '),
        ],
      ],
    ),
    '',
    text.method,
    '',
    '## Targets',
    '',
    targetsTable(r),
    '',
    '## Figures, baselines and ratios',
    '',
    figuresTable(r),
    '',
    '## Peak memory (RSS) per process (VmHWM from /proc) during the e2e and rebuild runs',
    '',
    rssTable(r),
    '',
    '## Missed targets: by how much, what limits them, next step',
    '',
    missedSection(r, findings),
    '## CPU profiles (`node --cpu-prof`, separate short runs)',
    '',
    'Pipeline under the e2e load:',
    '',
    ...profileLines(r.profiles?.e2e),
    '',
    'Rebuild of a 20,000-event history:',
    '',
    ...profileLines(r.profiles?.rebuild),
    '',
    ...(errors.length > 0
      ? ['## Stages that failed', '', ...errors.map(([stage, message]) => `- **${stage}**: ${message}`), '']
      : []),
    '## Closing note',
    '',
    text.closingNote,
    '',
  ].join('\n');
}

/** Writes `BENCHMARKS.md` at the repository root and `bench/results/latest.json`. */
export async function writeReport(
  root: string,
  results: BenchResults,
  findings: Readonly<Record<string, Finding>>,
  text: ReportText,
): Promise<void> {
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  const targets = TARGETS.map((t) => {
    const evaluation = evaluate(t, valueAt(results, t.key));
    return { key: t.key, target: targetText(t), status: evaluation.status, result: evaluation.text };
  });
  await writeFile(
    join(root, 'bench', 'results', 'latest.json'),
    `${JSON.stringify({ ...results, targets }, null, 2)}\n`,
  );
  await writeFile(join(root, 'BENCHMARKS.md'), renderMarkdown(results, findings, text));
}
