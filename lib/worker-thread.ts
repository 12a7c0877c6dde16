import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Development-only (see the file): not part of the build, so compiled code cannot reach it. */
const TS_WORKER_HOOKS = join(__dirname, 'testing', 'tsx-worker-hooks.cjs');

/**
 * Starts a worker thread on `file` as this build runs: the compiled .js as it is, a .ts source with tsx's hook
 * loaded first (a worker does not inherit the hooks of a process started by jest or by `tsx`'s loader alone).
 */
export function startWorker(file: string, workerData: unknown): Worker {
  if (extname(file) !== '.ts') return new Worker(file, { workerData });
  const source = [TS_WORKER_HOOKS, file].map((entry) => `require(${JSON.stringify(entry)});`).join(' ');
  return new Worker(source, { eval: true, workerData });
}
