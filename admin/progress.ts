import type { Logger } from '../lib/logger';

/** Where progress goes: a terminal gets one line redrawn in place; anything else gets log lines. */
export interface ProgressSink {
  readonly isTTY?: boolean;
  write(text: string): void;
}

export interface Progress {
  update(done: number): void;
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
}

export function figures(done: number, total: number, elapsedMs: number): ProgressFigures {
  const ratePerSecond = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const etaSeconds = ratePerSecond > 0 ? Math.max(0, (total - done) / ratePerSecond) : undefined;
  return { done, total, ratePerSecond, etaSeconds };
}

export function progressLine(label: string, unit: string, f: ProgressFigures): string {
  const percent = f.total > 0 ? Math.min(100, Math.floor((f.done * 100) / f.total)) : 100;
  const eta = f.etaSeconds === undefined ? '?' : `${Math.ceil(f.etaSeconds)} s`;
  return `${label}: ${f.done}/${f.total} ${unit} (${percent}%), ${f.ratePerSecond.toFixed(1)}/s, ETA ${eta}`;
}

/** Progress of long admin work (rebuild, verify, replay): done / total, rate and ETA. */
export function startProgress(
  label: string,
  unit: string,
  total: number,
  sink: ProgressSink,
  logger: Logger,
  clock: () => number = Date.now,
): Progress {
  const started = clock();
  let last = -Infinity;
  let done = 0;
  const draw = (final: boolean) => {
    const f = figures(done, total, clock() - started);
    if (sink.isTTY) sink.write(`\r\x1b[2K${progressLine(label, unit, f)}${final ? '\n' : ''}`);
    else logger.info({ progress: label, unit, ...f }, final ? `${label} finished` : `${label} in progress`);
  };
  return {
    update(value) {
      done = value;
      const now = clock();
      if (now - last < (sink.isTTY ? TTY_REDRAW_MS : LOG_EVERY_MS)) return;
      last = now;
      draw(false);
    },
    finish: () => draw(true),
  };
}
