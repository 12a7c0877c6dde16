import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { createShutdown } from './shutdown';

const silent = createLogger('test', { level: 'silent' });
const never = () => new Promise<void>(() => undefined);

/** A logger whose JSON lines the test can read. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger('test', { level: 'debug', destination }), lines };
}

describe('graceful shutdown', () => {
  it('runs close steps in the order they were registered, once', async () => {
    const shutdown = createShutdown(silent, 1000);
    const order: string[] = [];
    shutdown.register('stop http', () => void order.push('http'));
    shutdown.register('drain', async () => {
      await new Promise((r) => setTimeout(r, 10));
      order.push('drain');
    });
    shutdown.register('close store', () => void order.push('store'));
    const [first, second] = await Promise.all([shutdown.run('test'), shutdown.run('again')]);
    expect(order).toEqual(['http', 'drain', 'store']);
    expect(first).toBe(true);
    expect(second).toBe(true);
  });

  it('keeps going past a failing step and reports an unclean shutdown', async () => {
    const shutdown = createShutdown(silent, 1000);
    const order: string[] = [];
    shutdown.register('broken', () => {
      throw new Error('boom');
    });
    shutdown.register('after', () => void order.push('after'));
    expect(await shutdown.run('test')).toBe(false);
    expect(order).toEqual(['after']);
  });

  it('bounds each step: a hanging one is left behind, logged with its duration, and the later ones still run', async () => {
    const { logger, lines } = recordingLogger();
    const shutdown = createShutdown(logger, 5000, { stepTimeoutMs: 100 });
    const order: string[] = [];
    shutdown.register('dispose a client that never settles', never);
    shutdown.register('close the other connection', () => void order.push('closed'));
    const started = Date.now();
    // A step that only timed out is not a failure: exit code 0.
    expect(await shutdown.run('test')).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(order).toEqual(['closed']);
    const timedOut = lines.find((line) => line.msg === 'close step timed out; going on without it');
    expect(timedOut).toMatchObject({ step: 'dispose a client that never settles', timeoutMs: 100 });
    expect(timedOut?.ms).toBeGreaterThanOrEqual(99);
    expect(lines.find((line) => line.msg === 'shutdown finished')).toMatchObject({
      clean: true,
      abandoned: ['dispose a client that never settles'],
    });
  });

  it('bounds every step by what is left of the overall deadline, and passing it is unclean', async () => {
    const { logger, lines } = recordingLogger();
    const shutdown = createShutdown(logger, 150, { stepTimeoutMs: 100 });
    const ran: string[] = [];
    shutdown.register('first hang', never);
    shutdown.register('second hang', async () => {
      ran.push('second');
      await never();
    });
    shutdown.register('never reached', () => void ran.push('third'));
    const started = Date.now();
    expect(await shutdown.run('test')).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ran).toEqual(['second']);
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        'close step timed out; going on without it',
        'shutdown deadline passed during a close step',
        'shutdown deadline passed before every close step ran',
      ]),
    );
    expect(lines.find((line) => line.msg === 'shutdown finished')).toMatchObject({ clean: false });
  });
});
