import { summarizeProfile, type CpuProfile } from './cpu-profile';
import { evaluate, formatNumber, renderMarkdown, valueAt, type BenchResults } from './report';
import { TARGETS, type Target } from './targets';

const atLeastHalf: Target = { key: 'x.ratio', what: 'ratio', kind: 'min', threshold: 0.5, unit: '×' };
const below20ms: Target = { key: 'x.p99Ms', what: 'p99', kind: 'max', threshold: 20, unit: 'ms' };
const atLeast50k: Target = { key: 'x.rate', what: 'rate', kind: 'min', threshold: 50_000, unit: '/s' };

const machine = {
  cpuModel: 'Test CPU',
  cores: 2,
  ramGiB: 8,
  node: 'v20.0.0',
  os: 'Linux 6',
  loadAverage: [1, 0.5, 0.25],
};

function results(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    mode: 'quick',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationSeconds: 90,
    machine,
    errors: {},
    ...overrides,
  };
}

const text = { method: '## How it was measured', closingNote: 'Next step: the closing note.' };

describe('targets', () => {
  it('a minimum met at exactly the threshold is met', () => {
    expect(evaluate(atLeastHalf, 0.5).status).toBe('met');
  });

  it('a missed minimum says the shortfall, the percentage and the factor', () => {
    const evaluation = evaluate(atLeast50k, 12_500);
    expect(evaluation.status).toBe('missed');
    expect(evaluation.text).toBe('missed by 37,500/s: 75% short (target is 4.00× the figure)');
  });

  it('a maximum at the threshold is missed, with the excess and the factor', () => {
    expect(evaluate(below20ms, 19.9).status).toBe('met');
    expect(evaluate(below20ms, 20).status).toBe('missed');
    const evaluation = evaluate(below20ms, 151);
    expect(evaluation.text).toBe('missed by 131 ms: 7.55× the limit');
  });

  it('a figure a failed stage left out is not measured, neither met nor missed', () => {
    expect(evaluate(below20ms, undefined).status).toBe('not measured');
  });

  it('reads dotted keys and ignores non-numbers', () => {
    const r = { ingest: { reqPerSec: 800, bad: Number.NaN } };
    expect(valueAt(r, 'ingest.reqPerSec')).toBe(800);
    expect(valueAt(r, 'ingest.bad')).toBeUndefined();
    expect(valueAt(r, 'e2e.p50Ms')).toBeUndefined();
  });

  it('formats large figures with separators and small ones with decimals', () => {
    expect(formatNumber(1234567.4)).toBe('1,234,567');
    expect(formatNumber(42.25)).toBe('42.3');
    expect(formatNumber(1.666)).toBe('1.67');
  });
});

describe('BENCHMARKS.md', () => {
  const measured = results({
    ingest: { reqPerSec: 900, bareExpressReqPerSec: 3000, ratioToBare: 0.3, p50Ms: 10, p99Ms: 15 },
    scaling: { ratio2to1: 1.8 },
    errors: { rebuild: 'history writer failed' },
  });
  const markdown = renderMarkdown(
    measured,
    { 'ingest.ratioToBare': { limit: 'the durable append', nextStep: 'batch appends' } },
    text,
  );

  it('shows the ratio to the bare baseline measured in the same run', () => {
    expect(markdown).toContain(
      '| `ingest.reqPerSec` | 900/s | n/a | `ingest.bareExpressReqPerSec` 3,000/s | 0.30× |',
    );
  });

  it('explains a missed target: by how much, what limits it, the next step', () => {
    expect(markdown).toContain('### `ingest.ratioToBare`: missed by 0.20×: 40% short');
    expect(markdown).toContain('- **What limits it:** the durable append');
    expect(markdown).toContain('- **Next step:** batch appends');
  });

  it('does not list met targets as missed, and lists failed stages', () => {
    expect(markdown).not.toContain('### `ingest.p99Ms`');
    expect(markdown).not.toContain('### `scaling.ratio2to1`');
    expect(markdown).toContain('- **rebuild**: history writer failed');
    expect(markdown).toContain('### `rebuild.eventsPerSec`: not measured');
  });

  it('has a row for every target and names the machine', () => {
    for (const target of TARGETS) expect(markdown).toContain(`\`${target.key}\``);
    expect(markdown).toContain('| Test CPU | 2 | 8.00 GiB | v20.0.0 |');
    expect(markdown).toContain('Next step: the closing note.');
  });
});

describe('BENCHMARKS.md beside the previous run', () => {
  const previous = results({
    revision: 'abc1234',
    startedAt: '2025-12-31T00:00:00.000Z',
    ingest: { reqPerSec: 700, bareExpressReqPerSec: 3000, ratioToBare: 0.23 },
    e2e: { cpuMsPerOrder: { 'shop-api': 0.5 } },
  });
  const current = results({
    ingest: { reqPerSec: 900, bareExpressReqPerSec: 3000, ratioToBare: 0.3 },
    e2e: {
      cpuMsPerOrder: { 'shop-api': 0.25, pipeline: 2 },
      maxKeepingUpPerSec: 200,
      keepUpSteps: [
        { offeredRate: 100, p99Ms: 40, notVisible: 0 },
        { offeredRate: 200, p99Ms: 90, notVisible: 0 },
        { offeredRate: 300, p99Ms: 2400, notVisible: 12 },
      ],
    },
  });
  const markdown = renderMarkdown(current, {}, text, previous);

  it('names the previous run and shows its figures next to the new ones', () => {
    expect(markdown).toContain(
      'from the run before this one: quick mode on 2025-12-31T00:00:00.000Z, code at `abc1234`',
    );
    expect(markdown).toContain('| `ingest.reqPerSec` | 900/s | 700/s |');
    expect(markdown).toMatch(/\| `ingest.ratioToBare` \| [^|]+ \| ≥ 0.50× \| 0.30× \| 0.23× \|/);
  });

  it('shows CPU per order against its budget and the rates the pipeline kept up with', () => {
    expect(markdown).toContain(
      '| `e2e.cpuMsPerOrder.shop-api` | 0.25 ms | 0.50 ms | budget 0.30 ms | 0.13× |',
    );
    expect(markdown).toContain(
      '| `e2e.maxKeepingUpPerSec` | 200/s | n/a | 100/s: p99 40.0 ms, 0 not visible; 200/s: p99 90.0 ms, 0 not visible; 300/s: p99 2,400 ms, 12 not visible |',
    );
  });
});

describe('CPU profile summary', () => {
  it('ranks functions by self time and leaves idle time out of the busy share', () => {
    const profile: CpuProfile = {
      startTime: 0,
      endTime: 1_000_000,
      samples: [],
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 }, hitCount: 500 },
        {
          id: 2,
          callFrame: { functionName: 'encode', url: 'file:///a/log/codec.ts', lineNumber: 9 },
          hitCount: 300,
        },
        { id: 3, callFrame: { functionName: '', url: 'file:///a/b.ts', lineNumber: 0 }, hitCount: 100 },
        {
          id: 4,
          callFrame: { functionName: 'encode', url: 'file:///a/log/codec.ts', lineNumber: 9 },
          hitCount: 100,
        },
      ],
    };
    const summary = summarizeProfile(profile);
    expect(summary.wallMs).toBe(1000);
    expect(summary.busyMs).toBe(500);
    expect(summary.top[0]).toEqual({ name: 'encode', where: 'log/codec.ts:10', selfMs: 400, share: 0.8 });
    expect(summary.top[1]?.name).toBe('(anonymous)');
  });
});
