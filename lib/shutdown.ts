import type { Logger } from './logger';

export type CloseHandler = () => Promise<void> | void;

/**
 * How long one close step may take before the shutdown goes on without it. Every step a service registers
 * either stops taking work, where whatever was left unsettled is safe to leave (processors ack only after the
 * append, so the server redelivers; projections resume from their checkpoint and are replay-safe), or releases
 * connections and files, which exiting releases anyway (the embedded servers write before they acknowledge, and
 * take over a lock a dead process left). So a step that passes its bound is logged with its duration and
 * left behind, and does not make the exit code 1: a client library whose close hangs (`@eventstore/db-client`
 * 6.2.1's `dispose()` waits without limit for every call it still tracks) must not turn a clean Ctrl-C into a
 * failure, nor hold it for seconds.
 */
export const CLOSE_STEP_TIMEOUT_MS = 1000;

export interface ShutdownOptions {
  /** Bound of each close step (default CLOSE_STEP_TIMEOUT_MS); the overall deadline bounds the sum. */
  readonly stepTimeoutMs?: number;
}

export interface Shutdown {
  /** Steps run in the order registered: register "stop taking work" before "close connections". */
  register(name: string, handler: CloseHandler): void;
  /**
   * Runs every step once, each bounded. Resolves true (exit 0) when no step threw and the deadline did not pass;
   * a step that only timed out counts as clean (see CLOSE_STEP_TIMEOUT_MS).
   */
  run(reason: string): Promise<boolean>;
  /** Runs on SIGINT / SIGTERM, then exits the process (0 when clean, 1 otherwise). */
  listen(): void;
}

type Outcome = { kind: 'finished' } | { kind: 'failed'; error: unknown } | { kind: 'timed out' };

/** Runs `handler`, settling after at most `boundMs` either way. */
async function bounded(handler: CloseHandler, boundMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed out' }), boundMs);
  });
  const work = (async (): Promise<Outcome> => {
    await handler();
    return { kind: 'finished' };
  })().catch((error: unknown): Outcome => ({ kind: 'failed', error }));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createShutdown(logger: Logger, deadlineMs: number, options: ShutdownOptions = {}): Shutdown {
  const stepTimeoutMs = options.stepTimeoutMs ?? CLOSE_STEP_TIMEOUT_MS;
  const steps: { name: string; handler: CloseHandler }[] = [];
  let running: Promise<boolean> | undefined;

  async function runAll(): Promise<boolean> {
    const started = Date.now();
    let clean = true;
    const abandoned: string[] = [];
    for (const [index, { name, handler }] of steps.entries()) {
      const remainingMs = deadlineMs - (Date.now() - started);
      if (remainingMs <= 0) {
        clean = false;
        const skipped = steps.slice(index).map((step) => step.name);
        logger.error({ deadlineMs, skipped }, 'shutdown deadline passed before every close step ran');
        break;
      }
      const boundMs = Math.min(stepTimeoutMs, remainingMs);
      const stepStarted = Date.now();
      const outcome = await bounded(handler, boundMs);
      const ms = Date.now() - stepStarted;
      if (outcome.kind === 'finished') {
        logger.debug({ step: name, ms }, 'close step finished');
      } else if (outcome.kind === 'failed') {
        clean = false;
        logger.error({ err: outcome.error, step: name, ms }, 'close step failed');
      } else if (boundMs < stepTimeoutMs) {
        clean = false;
        logger.error({ step: name, ms, deadlineMs }, 'shutdown deadline passed during a close step');
      } else {
        abandoned.push(name);
        logger.warn(
          { step: name, ms, timeoutMs: stepTimeoutMs },
          'close step timed out; going on without it',
        );
      }
    }
    logger.info({ clean, ms: Date.now() - started, abandoned }, 'shutdown finished');
    return clean;
  }

  function run(reason: string): Promise<boolean> {
    running ??= (() => {
      logger.info({ reason }, 'shutting down');
      return runAll();
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

  return { register: (name, handler) => void steps.push({ name, handler }), run, listen };
}
