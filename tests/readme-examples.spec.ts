import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startPipeline, type Pipeline } from './support/pipeline';

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
    const block = bashBlock('## Using the API').replaceAll(
      'localhost:3000',
      pipeline.url.replace('http://', ''),
    );
    const [post, rest] = block.split(/^# 202 .*$/m);
    const bash = (script: string) => run('bash', ['-c', `set -euo pipefail\n${CURL}\n${script}`]);
    const posted = await bash(post!);
    expect(posted.stdout).toMatch(/^HTTP\/1\.1 202/);
    const requestId = /"requestId":"([^"]+)"/.exec(posted.stdout)?.[1];
    expect(requestId).toBeDefined();

    const { stdout } = await bash(rest!.replaceAll('<requestId>', requestId!));
    const answers = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const [status, waited, order, list, sales] = answers;
    expect(answers).toHaveLength(5);
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
