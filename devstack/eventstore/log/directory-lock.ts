import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'LOCK';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One server per data directory, as EventStoreDB enforces: a second process would interleave writes into the
 * same log. The lock names its owner's pid; a lock left by a process that died (SIGKILL) is taken over.
 */
export async function lockDirectory(dir: string): Promise<{ release(): Promise<void> }> {
  const path = join(dir, LOCK_FILE_NAME);
  const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    throw new Error(`eventstore data directory ${dir} is in use by process ${owner}`);
  }
  await writeFile(path, String(process.pid));
  return { release: () => rm(path, { force: true }) };
}
