import type { Document } from 'bson';
import { aggregate } from './commands/aggregate';
import { catalogCommands } from './commands/catalog-commands';
import type { CommandContext, CommandHandler } from './commands/context';
import { findAndModify } from './commands/find-and-modify';
import { handshakeCommands } from './commands/handshake';
import { readCommands } from './commands/read';
import { writeCommands } from './commands/write';
import { evaluationError } from './errors';

const COMMANDS: ReadonlyMap<string, CommandHandler> = new Map(
  Object.entries({
    ...handshakeCommands,
    ...readCommands,
    ...writeCommands,
    ...catalogCommands,
    aggregate,
    findAndModify,
    findandmodify: findAndModify,
  }),
);

const INTERNAL_ERROR = { code: 1, codeName: 'InternalError' } as const;

/** Runs one command and always answers with a reply document (`ok: 0` plus code and codeName on failure). */
export function dispatchCommand(body: Document, ctx: CommandContext): Document {
  const name = Object.keys(body)[0];
  const handler = name === undefined ? undefined : COMMANDS.get(name);
  if (!handler) {
    return { ok: 0, errmsg: `no such command: '${name ?? ''}'`, code: 59, codeName: 'CommandNotFound' };
  }
  if (body.txnNumber !== undefined || body.startTransaction !== undefined) {
    // What a standalone mongod answers: transactions and retryable writes need a replica set.
    return {
      ok: 0,
      errmsg: 'Transaction numbers are only allowed on a replica set member or mongos',
      code: 20,
      codeName: 'IllegalOperation',
    };
  }
  try {
    return handler(body, ctx);
  } catch (error) {
    const known = evaluationError(error);
    if (known) return known.toReply();
    ctx.logger.error({ err: error, command: name }, 'command failed unexpectedly');
    return { ok: 0, errmsg: error instanceof Error ? error.message : String(error), ...INTERNAL_ERROR };
  }
}
