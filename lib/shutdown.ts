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
      const started = Date.now();
      try {
        await handler();
        logger.debug({ handler: name, ms: Date.now() - started }, 'close handler finished');
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
    const exit = (clean: boolean) => {
      try {
        logger.flush();
      } catch {
        // stdout may be gone (the parent that read it exited); exiting matters more than the last line
      }
      process.exit(clean ? 0 : 1);
    };
    // `on`, not `once`: Ctrl-C reaches a process both from the terminal and from a parent relaying it, and a
    // second signal must not fall through to Node's default handler and kill the process mid-shutdown.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => void run(signal).then(exit, () => exit(false)));
    }
  }

  return { register: (name, handler) => void handlers.push({ name, handler }), run, listen };
}
