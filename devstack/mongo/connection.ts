import type { Socket } from 'node:net';
import type { Document } from 'bson';
import type { Logger } from 'pino';
import { dispatchCommand } from './command-dispatch';
import type { CommandContext } from './commands/context';
import { helloReply } from './commands/handshake';
import {
  encodeOpMsg,
  encodeOpReply,
  HEADER_BYTES,
  MAX_MESSAGE_BYTES,
  OP_QUERY,
  parseMessage,
  type IncomingCommand,
} from './wire-protocol';

export type ContextFactory = (db: string) => CommandContext;

const BSON_OBJECT_TOO_LARGE = 10334;
const LEGACY_HANDSHAKE = new Set(['ismaster', 'isMaster', 'hello']);

/**
 * One client connection: frames messages off the socket, runs each command in arrival order and writes the
 * reply. A malformed frame closes this connection only; other clients keep being served.
 */
export class Connection {
  private buffered: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private needed = 4;
  private nextRequestId = 1;

  constructor(
    private readonly socket: Socket,
    private readonly contextFor: ContextFactory,
    private readonly logger: Logger,
    private readonly afterCommand: () => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.logger.debug({ err: error }, 'client socket error'));
  }

  private onData(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // Large messages arrive in many chunks: join them once, when the whole message is there.
    if (this.pendingBytes < this.needed) return;
    // The usual case — one chunk holding whole messages — needs no copy.
    this.buffered =
      this.buffered.length === 0 && this.pending.length === 1
        ? (this.pending[0] as Buffer)
        : Buffer.concat([this.buffered, ...this.pending]);
    this.pending = [];
    this.pendingBytes = 0;
    // Replies to the messages of one chunk (a pipelining client) leave in one write.
    this.socket.cork();
    try {
      this.frameMessages();
    } finally {
      this.socket.uncork();
    }
  }

  private frameMessages(): void {
    const buffered = this.buffered;
    // Messages are read at an offset: one subarray per message rather than two.
    let offset = 0;
    while (buffered.length - offset >= 4) {
      const length = buffered.readInt32LE(offset);
      if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) {
        this.reject(`invalid message length ${length}`);
        return;
      }
      if (buffered.length - offset < length) break;
      const message = buffered.subarray(offset, offset + length);
      offset += length;
      try {
        this.handle(message);
      } catch (error) {
        // Nothing a client sends may take the server down; this connection ends, the others carry on.
        this.logger.error({ err: error }, 'unexpected failure handling a message');
        this.reject('internal error');
      }
      if (this.socket.destroyed) return;
    }
    this.buffered = offset === 0 ? buffered : buffered.subarray(offset);
    const rest = this.buffered.length;
    this.needed = rest >= 4 ? this.buffered.readInt32LE(0) - rest : 4 - rest;
  }

  private reject(reason: string): void {
    this.logger.warn({ reason }, 'closing connection after malformed message');
    this.buffered = Buffer.alloc(0);
    this.socket.destroy();
  }

  private handle(message: Buffer): void {
    const parsed = parseMessage(message);
    if (!parsed.ok) {
      if ('reason' in parsed) this.reject(parsed.reason);
      else if (!parsed.moreToCome) {
        const encode = parsed.opCode === OP_QUERY ? encodeOpReply : encodeOpMsg;
        this.socket.write(encode(this.nextRequestId++, parsed.requestId, parsed.refusal));
      }
      return;
    }
    const { command } = parsed;
    const reply = this.run(command);
    this.afterCommand();
    if (command.moreToCome || this.socket.destroyed) return;
    const requestId = this.nextRequestId++;
    const encode = command.opCode === OP_QUERY ? encodeOpReply : encodeOpMsg;
    let encoded: Buffer;
    try {
      encoded = encode(requestId, command.requestId, reply);
    } catch (error) {
      // A reply that cannot be serialized (e.g. over the BSON size limit) becomes an error reply.
      this.logger.warn({ err: error }, 'reply could not be encoded');
      encoded = encode(requestId, command.requestId, {
        ok: 0,
        errmsg: `reply could not be encoded: ${error instanceof Error ? error.message : String(error)}`,
        code: BSON_OBJECT_TOO_LARGE,
        codeName: 'BSONObjectTooLarge',
      });
    }
    this.socket.write(encoded);
  }

  private run(command: IncomingCommand): Document {
    const db = typeof command.body.$db === 'string' ? command.body.$db : command.legacyDb;
    if (command.opCode === OP_QUERY) {
      const name = Object.keys(command.body)[0] ?? '';
      const ctx = this.contextFor(db ?? 'admin');
      // Only the handshake may use OP_QUERY since MongoDB 5.1; everything else must be OP_MSG.
      if (LEGACY_HANDSHAKE.has(name)) return helloReply(ctx, true);
      return {
        ok: 0,
        errmsg: `Unsupported OP_QUERY command: ${name}`,
        code: 352,
        codeName: 'UnsupportedOpQueryCommand',
      };
    }
    if (db === undefined) {
      return {
        ok: 0,
        errmsg: 'OP_MSG requests require a $db argument',
        code: 40571,
        codeName: 'Location40571',
      };
    }
    return dispatchCommand(command.body, this.contextFor(db));
  }
}
