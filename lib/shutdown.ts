import type { Logger } from './logger';

export type CloseHandler = () => Promise<void> | void;

export interface Shutdown {
  /** Handlers run in the order registered: register "stop taking work" before "close connections". */
  register(name: string, handler: CloseHandler): void;
  /** Runs every handler once; resolves with true when all finished before the deadline without error. */
  run(reason: string): Promise<boolean>;
  /** Runs on SIGINT / SIGTERM, then exits the process (0 when clean, 1 otherwise). */
  listen(): void;
}

export function createShutdown(logger: Logger, deadlineMs: number): Shutdown {
  const handlers: { name: string; handler: CloseHandler }[] = [];
  let running: Promise<boolean> | undefined;

  async function runAll(): Promise<boolean> {
    let clean = true;
    for (const { name, handler } of handlers) {
      try {
        await handler();
      } catch (error) {
        clean = false;
        logger.error({ err: error, handler: name }, 'close handler failed');
      }
    }
    return clean;
  }

  function run(reason: string): Promise<boolean> {
    running ??= (async () => {
      logger.info({ reason }, 'shutting down');
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => {
          logger.error({ deadlineMs }, 'shutdown deadline passed before all close handlers finished');
          resolve(false);
        }, deadlineMs);
        timer.unref();
      });
      const clean = await Promise.race([runAll(), deadline]);
      clearTimeout(timer);
      logger.info({ clean }, 'shutdown finished');
      return clean;
    })();
    return running;
  }

  function listen(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void run(signal).then((clean) => {
          logger.flush();
          process.exit(clean ? 0 : 1);
        });
      });
    }
  }

  return { register: (name, handler) => void handlers.push({ name, handler }), run, listen };
}
