import { freePort, REPOSITORY_ROOT, type OutputStream } from '../../lib/process-runner';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';

export const ROOT = REPOSITORY_ROOT;
const COMMAND_TIMEOUT_MS = 60_000;

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The ops specs' services see only what the test sets (and warnings), not the developer's shell. */
const quiet = (env: Record<string, string>) => ({ LOG_LEVEL: 'warn', ...env });

/** Runs a TypeScript entry point (`admin/main.ts`, `shop-api/main.ts`, ...) to completion. */
export async function runToEnd(
  entry: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<Finished> {
  const output: Record<OutputStream, string> = { stdout: '', stderr: '' };
  const run = startServiceProcess(entry, quiet(env), {
    args,
    cleanEnv: true,
    onLine: (line, stream) => (output[stream] += `${line}\n`),
  });
  const timer = setTimeout(() => void run.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
  const code = await run.exited;
  clearTimeout(timer);
  if (run.exitSignal() === 'SIGKILL') {
    throw new Error(
      `${entry} ${args.join(' ')} did not finish in ${COMMAND_TIMEOUT_MS} ms:\n${run.output()}`,
    );
  }
  return { code, ...output };
}

export type RunningService = ServiceProcess;

/** Starts a long-running service process; `stop` sends SIGTERM, and SIGKILL after a grace period. */
export function startService(entry: string, env: Record<string, string>): RunningService {
  return startServiceProcess(entry, quiet(env), { cleanEnv: true });
}

/** A port nothing listens on (bound, then released), to play an unreachable server. */
export const closedPort = freePort;
