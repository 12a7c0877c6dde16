/** What a command ends with: the text for stdout and the process exit code. */
export interface CommandOutcome {
  readonly exitCode: 0 | 1;
  readonly output: string;
}

export const done = (output: string): CommandOutcome => ({ exitCode: 0, output });
export const failed = (output: string): CommandOutcome => ({ exitCode: 1, output });

/** Every call to a server gets a deadline, so an unreachable server is an error rather than a hang. */
export const SERVER_DEADLINE_MS = 5000;
