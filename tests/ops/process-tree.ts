import { readdirSync, readFileSync } from 'node:fs';

/** Parent pid and state of a process from Linux's /proc, or undefined when it is gone. */
function stat(pid: number): { ppid: number; state: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
  const [state = '', ppid = ''] = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(ppid), state };
}

/** True while the process runs; a zombie (exited, not yet reaped) counts as gone. */
export function isRunning(pid: number): boolean {
  const found = stat(pid);
  return found !== undefined && found.state !== 'Z';
}

/** Every running descendant of `pid`, whatever process group it moved to. */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const found = stat(Number(entry));
    if (found && found.state !== 'Z') parents.set(Number(entry), found.ppid);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

const POLL_MS = 10;

/** Resolves with the milliseconds until none of `pids` runs, or rejects after `timeoutMs`. */
export async function allGone(pids: readonly number[], timeoutMs: number): Promise<number> {
  const started = Date.now();
  // No event tells a process about the exit of one that is not its child: poll, bounded.
  while (pids.some(isRunning)) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`still running after ${timeoutMs} ms: ${pids.filter(isRunning).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return Date.now() - started;
}
