import type { Logger } from '../lib/logger';

/** Where progress goes: a terminal gets one line redrawn in place; anything else gets log lines. */
export interface ProgressSink {
  readonly isTTY?: boolean;
  write(text: string): void;
}

export interface Progress {
  /**
   * `done` is in the unit of `total`; `counted` is what was handled when that is another unit (a rebuild's events,
   * while its share and ETA follow the log position).
   */
  update(done: number, counted?: number): void;
  finish(): void;
}

/** How often the line is redrawn on a terminal, and how often a log line is written otherwise. */
export const TTY_REDRAW_MS = 100;
export const LOG_EVERY_MS = 2000;

export interface ProgressFigures {
  readonly done: number;
  readonly total: number;
  readonly ratePerSecond: number;
  /** Undefined until there is a rate to extrapolate from. */
  readonly etaSeconds: number | undefined;
  /** What was handled, in its own unit, and its rate: given only when it differs from `done`. */
  readonly counted?: number;
  readonly countedPerSecond?: number;
}

export function figures(done: number, total: number, elapsedMs: number, counted?: number): ProgressFigures {
  const perSecond = (value: number) => (elapsedMs > 0 ? (value * 1000) / elapsedMs : 0);
  const ratePerSecond = perSecond(done);
  const etaSeconds = ratePerSecond > 0 ? Math.max(0, (total - done) / ratePerSecond) : undefined;
  const count = counted === undefined ? {} : { counted, countedPerSecond: perSecond(counted) };
  return { done, total, ratePerSecond, etaSeconds, ...count };
}

/** `counted`: the unit of `ProgressFigures.counted`, shown with its rate in place of `done`'s. */
export function progressLine(label: string, unit: string, f: ProgressFigures, counted?: string): string {
  const percent = f.total > 0 ? Math.min(100, Math.floor((f.done * 100) / f.total)) : 100;
  const eta = f.etaSeconds === undefined ? '?' : `${Math.ceil(f.etaSeconds)} s`;
  if (counted !== undefined && f.counted !== undefined) {
    const rate = (f.countedPerSecond ?? 0).toFixed(1);
    return `${label}: ${f.counted} ${counted}, ${rate}/s, ${percent}% of the ${unit}, ETA ${eta}`;
  }
  return `${label}: ${f.done}/${f.total} ${unit} (${percent}%), ${f.ratePerSecond.toFixed(1)}/s, ETA ${eta}`;
}

export interface ProgressOptions {
  /** The unit of what `update` counts beside `done` (e.g. `events`). */
  readonly counted?: string;
  readonly clock?: () => number;
}

/** Progress of long admin work (rebuild, verify, replay): done / total, rate and ETA. */
export function startProgress(
  label: string,
  unit: string,
  total: number,
  sink: ProgressSink,
  logger: Logger,
  options: ProgressOptions = {},
): Progress {
  const clock = options.clock ?? Date.now;
  const started = clock();
  let last = -Infinity;
  let done = 0;
  let counted: number | undefined;
  const draw = (final: boolean) => {
    const f = figures(done, total, clock() - started, counted);
    const line = progressLine(label, unit, f, options.counted);
    if (sink.isTTY) sink.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else {
      const fields = {
        progress: label,
        unit,
        ...f,
        ...(options.counted && { countedUnit: options.counted }),
      };
      logger.info(fields, final ? `${label} finished` : `${label} in progress`);
    }
  };
  return {
    update(value, count) {
      done = value;
      counted = count;
      const now = clock();
      if (now - last < (sink.isTTY ? TTY_REDRAW_MS : LOG_EVERY_MS)) return;
      last = now;
      draw(false);
    },
    finish: () => draw(true),
  };
}
