import { eventually } from '../../lib/eventually';
import type { RunningService } from './processes';

/** The JSON log lines a service wrote so far (other lines are skipped). */
export function logLines(service: RunningService): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of service.lines) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === 'object' && parsed !== null) lines.push(parsed as Record<string, unknown>);
    } catch {
      // not a log line (e.g. a start-up error message)
    }
  }
  return lines;
}

/** Waits for the start-up line (`msg`) and returns the port the service says it listens on. */
export async function listeningPort(
  service: RunningService,
  msg: string,
  timeoutMs = 60_000,
): Promise<number> {
  return eventually(
    () => {
      if (service.child.exitCode !== null) {
        throw new Error(`exited with ${service.child.exitCode}:\n${service.lines.join('\n')}`);
      }
      const line = logLines(service).find((l) => l.msg === msg);
      return Promise.resolve(typeof line?.port === 'number' ? line.port : undefined);
    },
    timeoutMs,
    100,
  );
}

/**
 * The value of one sample in Prometheus text format, found by name and a subset of its labels; undefined when
 * no sample matches.
 */
export function sample(
  metrics: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of metrics.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map(
      [...(match[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) return Number(match[4]);
  }
  return undefined;
}
