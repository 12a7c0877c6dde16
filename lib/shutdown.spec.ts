import { createLogger } from './logger';
import { createShutdown } from './shutdown';

const silent = createLogger('test', { level: 'silent' });

describe('graceful shutdown', () => {
  it('runs close handlers in the order they were registered, once', async () => {
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

  it('keeps going past a failing handler and reports an unclean shutdown', async () => {
    const shutdown = createShutdown(silent, 1000);
    const order: string[] = [];
    shutdown.register('broken', () => {
      throw new Error('boom');
    });
    shutdown.register('after', () => void order.push('after'));
    expect(await shutdown.run('test')).toBe(false);
    expect(order).toEqual(['after']);
  });

  it('gives up at the deadline', async () => {
    const shutdown = createShutdown(silent, 50);
    shutdown.register('hangs', () => new Promise<void>(() => undefined));
    expect(await shutdown.run('test')).toBe(false);
  });
});
