import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProfileSummary } from './cpu-profile';
import type { Machine } from './machine';
import { figuresTable } from './report-figures';
import { formatNumber, table, valueAt, withUnit } from './report-format';
import { TARGETS, type Target } from './targets';

export { formatNumber, valueAt };

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

function targetsTable(r: BenchResults, previous?: BenchResults): string {
  const shown = (results: BenchResults | undefined, t: Target) => {
    const value = results && valueAt(results, t.key);
    return value === undefined ? 'n/a' : withUnit(value, t.unit);
  };
  return table(
    ['key', 'what', 'target', 'figure', 'previous run', 'result'],
    TARGETS.map((t) => [
      `\`${t.key}\``,
      t.what,
      targetText(t),
      shown(r, t),
      shown(previous, t),
      evaluate(t, valueAt(r, t.key)).text,
    ]),
  );
}

function previousRunText(previous: BenchResults | undefined): string {
  if (!previous) return 'No previous run to compare with.';
  return (
    `The "previous run" columns are from the run before this one: ${previous.mode} mode on ${previous.startedAt}` +
    `${previous.revision ? `, code at \`${previous.revision}\`` : ''} (\`bench/results/previous.json\`).`
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
  previous?: BenchResults,
): string {
  const m = r.machine;
  const errors = Object.entries(r.errors);
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\` (${r.mode} mode) on ${r.startedAt}, ` +
      `in ${formatNumber(r.durationSeconds)} s${r.revision ? `, code at \`${r.revision}\`` : ''}. ` +
      'Machine-readable: `bench/results/latest.json`. ' +
      previousRunText(previous),
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
    targetsTable(r, previous),
    '',
    '## Figures, baselines and ratios',
    '',
    figuresTable(r, previous),
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

/** Writes `BENCHMARKS.md` at the repository root and `bench/results/latest.json` (and `previous.json`). */
export async function writeReport(
  root: string,
  results: BenchResults,
  findings: Readonly<Record<string, Finding>>,
  text: ReportText,
  previous?: BenchResults,
): Promise<void> {
  const dir = join(root, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const targets = TARGETS.map((t) => {
    const evaluation = evaluate(t, valueAt(results, t.key));
    return { key: t.key, target: targetText(t), status: evaluation.status, result: evaluation.text };
  });
  if (previous) await writeFile(join(dir, 'previous.json'), `${JSON.stringify(previous, null, 2)}\n`);
  await writeFile(join(dir, 'latest.json'), `${JSON.stringify({ ...results, targets }, null, 2)}\n`);
  await writeFile(join(root, 'BENCHMARKS.md'), renderMarkdown(results, findings, text, previous));
}

/** A results file written by an earlier run, without its evaluated targets; undefined when there is none. */
export async function readResults(path: string): Promise<BenchResults | undefined> {
  try {
    const { targets: _targets, ...results } = JSON.parse(await readFile(path, 'utf8')) as BenchResults & {
      targets?: unknown;
    };
    return results;
  } catch {
    return undefined;
  }
}
