import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startPipeline, type Pipeline } from './support/pipeline';
import { TEST_API_KEY } from './support/test-keys';

// The README's "Using the API" commands, run as written (curl in bash) against a pipeline: only the host changes.
jest.setTimeout(60_000);

const run = promisify(execFile);
const README = readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');

/** The first ```bash block after `heading`. */
function bashBlock(heading: string): string {
  const section = README.slice(README.indexOf(heading));
  const match = /```bash\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`README has no bash block after "${heading}"`);
  return match[1];
}

// Fails on an HTTP error; retries while a read model has not caught up yet (a 404 on a just-placed order).
const CURL =
  'curl() { command curl --fail --silent --show-error --retry 10 --retry-all-errors --retry-delay 1 "$@"; echo; }';

describe('the README', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  afterAll(() => pipeline.stop());

  it('"Using the API": every command works as written, and the sales example finds the order placed today', async () => {
    // The key is the one placeholder a reader fills in: npm start's development key, here the test run's.
    const block = bashBlock('## Using the API')
      .replaceAll('localhost:3000', pipeline.url.replace('http://', ''))
      .replace(/^export H=.*$/m, `export H="Authorization: Bearer ${TEST_API_KEY}"`);
    const [post, rest] = block.split(/^# 202 .*$/m);
    const bash = (script: string) => run('bash', ['-c', `set -euo pipefail\n${CURL}\n${script}`]);
    const posted = await bash(post!);
    expect(posted.stdout).toMatch(/^HTTP\/1\.1 202/);
    const requestId = /"requestId":"([^"]+)"/.exec(posted.stdout)?.[1];
    expect(requestId).toBeDefined();

    const key = /^export H=.*$/m.exec(post!)?.[0] ?? '';
    const { stdout } = await bash(`${key}\n${rest!.replaceAll('<requestId>', requestId!)}`);
    const answers = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const [status, waited, order, list, sales, trace, history, pipelineStatus] = answers;
    expect(answers).toHaveLength(8);
    expect(trace).toMatchObject({ requestId, stored: { stream: expect.any(String) } });
    expect(history).toMatchObject({
      orderId: 'o-1',
      events: [expect.objectContaining({ type: 'OrderPlaced' })],
    });
    expect(pipelineStatus).toHaveProperty('ingest');
    expect(status).toMatchObject({ requestId });
    expect(waited).toMatchObject({ requestId, status: 'processed', resultIds: ['o-1'] });
    expect(order).toMatchObject({
      id: 'o-1',
      status: 'Placed',
      total: '25.00',
      shipment: null,
    });
    expect(list).toMatchObject({ items: [expect.objectContaining({ id: 'o-1' })] });
    const today = new Date().toISOString().slice(0, 10);
    expect(JSON.stringify(sales)).toContain(today);
    expect(JSON.stringify(sales)).toContain('"revenuePlaced":"25.00"');
  });
});
