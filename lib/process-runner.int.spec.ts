import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, prefixedLine, runProcess, type ManagedProcess } from './process-runner';

/**
 * One small service whose behaviour the first argument picks: `serve` listens on PORT and answers /health,
 * `slow` never gets ready, `fail` prints an error and exits 3, `stubborn` ignores SIGTERM, `env` prints a variable.
 */
const FIXTURE = `
const http = require('node:http');
const mode = process.argv[2];
console.log('booting ' + mode);
if (mode === 'serve') {
  const server = http.createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end());
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: server.address().port })));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else if (mode === 'slow') {
  setInterval(() => {}, 1000);
} else if (mode === 'fail') {
  console.error('fatal: no ESDB_CONNECTION_STRING');
  process.exit(3);
} else if (mode === 'stubborn') {
  process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
  setInterval(() => {}, 1000);
  console.log('handlers installed');
} else if (mode === 'env') {
  console.log('FROM_SPEC=' + process.env.FROM_SPEC + ' INHERITED=' + process.env.RUNNER_SPEC_INHERITED);
}
`;

const TS_FIXTURE = `const answer: number = 42;\nconsole.log(\`typescript says \${answer}\`);\n`;

describe('the process runner', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'process-runner-'));
  const script = path.join(dir, 'service.js');
  const tsScript = path.join(dir, 'service.ts');
  writeFileSync(script, FIXTURE);
  writeFileSync(tsScript, TS_FIXTURE);
  const started: ManagedProcess[] = [];
  const run = (mode: string, env: Record<string, string | undefined> = {}) => {
    const proc = runProcess({ name: `fixture-${mode}`, entry: script, args: [mode], env });
    started.push(proc);
    return proc;
  };

  afterAll(async () => {
    await Promise.all(started.map((proc) => proc.kill('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready once its port accepts connections, and once its health URL answers', async () => {
    const port = await freePort();
    const service = run('serve', { PORT: String(port) });
    await service.waitUntilReady({ port });
    await service.waitUntilReady({ url: `http://127.0.0.1:${port}/health` });
    expect(await service.waitForLog('listening')).toEqual({ msg: 'listening', port });
    expect(service.pid).toBe(service.child.pid);
    expect(await service.stop()).toBe(0);
    expect(service.exitSignal()).toBeNull();
  });

  it('fails at the deadline with the last output in the error', async () => {
    const service = run('slow');
    await service.waitForLine('booting slow');
    const port = await freePort();
    await expect(service.waitUntilReady({ port }, 300)).rejects.toThrow(
      new RegExp(`fixture-slow was not ready on port ${port} within 300 ms; last output:\\nbooting slow`),
    );
  });

  it('fails as soon as the process exits, with its output and exit code', async () => {
    const service = run('fail');
    const port = await freePort();
    const error = await service.waitUntilReady({ port }).then(
      () => new Error('ready'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/fixture-fail exited \(code 3\) before it was ready/);
    expect(error.message).toContain('fatal: no ESDB_CONNECTION_STRING');
    expect(await service.exited).toBe(3);
    await expect(service.waitForLine('never printed')).rejects.toThrow(/exited \(code 3/);
  });

  it('stops with SIGTERM, then SIGKILL when the grace period passes', async () => {
    const service = run('stubborn');
    await service.waitForLine('handlers installed');
    expect(await service.stop(200)).toBeNull();
    expect(service.exitSignal()).toBe('SIGKILL');
    expect(service.lines).toContain('ignoring SIGTERM');
  });

  it('sends the signal a fault test asks for', async () => {
    const service = run('slow');
    await service.waitForLine('booting slow');
    expect(await service.kill('SIGKILL')).toBeNull();
    expect(service.exitSignal()).toBe('SIGKILL');
    expect(service.hasExited()).toBe(true);
  });

  it('passes the environment given, on top of this one or of a clean one', async () => {
    process.env.RUNNER_SPEC_INHERITED = 'yes';
    try {
      const inherits = run('env', { FROM_SPEC: 'set' });
      const clean = runProcess({
        name: 'fixture-clean',
        entry: script,
        args: ['env'],
        env: { FROM_SPEC: 'set' },
        baseEnv: 'clean',
      });
      started.push(clean);
      expect(await inherits.waitForLine('FROM_SPEC=')).toBe('FROM_SPEC=set INHERITED=yes');
      expect(await clean.waitForLine('FROM_SPEC=')).toBe('FROM_SPEC=set INHERITED=undefined');
      expect(await inherits.exited).toBe(0);
    } finally {
      delete process.env.RUNNER_SPEC_INHERITED;
    }
  });

  it('runs a TypeScript entry through tsx and hands every line, with its stream, to onLine', async () => {
    const seen: string[] = [];
    const service = runProcess({
      name: 'ts-fixture',
      entry: tsScript,
      onLine: (line, stream) => seen.push(`${stream}: ${prefixedLine('ts-fixture', line)}`),
    });
    started.push(service);
    expect(await service.exited).toBe(0);
    expect(service.child.spawnargs).toContain('tsx');
    expect(seen).toEqual(['stdout: ts-fixture   | typescript says 42']);
  });

  it('reports the failing stream too: stderr lines are kept with stdout', async () => {
    const service = run('fail');
    await service.exited;
    // Two pipes: which one is read first is up to the scheduler.
    expect([...service.lines].sort()).toEqual(['booting fail', 'fatal: no ESDB_CONNECTION_STRING']);
  });
});
