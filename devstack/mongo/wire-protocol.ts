import type { Document } from 'bson';
import { decodeDocument } from './bson-decode';
import { encodeDocument } from './bson-encode';

/** Opcodes of MongoDB's wire protocol that this server reads or writes. */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

export const HEADER_BYTES = 16;
/** mongod's maxMessageSizeBytes: a longer length field closes the connection before anything is buffered. */
export const MAX_MESSAGE_BYTES = 48_000_000;
/** mongod's maxBsonObjectSize for user documents. */
export const MAX_BSON_OBJECT_BYTES = 16 * 1024 * 1024;
// Commands may exceed a user document by 16 KiB of envelope (mongod's BSONObjMaxInternalSize).
const MAX_BSON_INTERNAL_BYTES = MAX_BSON_OBJECT_BYTES + 16 * 1024;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
// The low 16 flag bits are "required": a receiver must fail on one it does not know (OP_MSG specification).
const REQUIRED_FLAG_BITS = 0xffff;
const KNOWN_REQUIRED_FLAGS = FLAG_CHECKSUM_PRESENT | FLAG_MORE_TO_COME;
const SECTION_BODY = 0;
const SECTION_DOCUMENT_SEQUENCE = 1;
const CHECKSUM_BYTES = 4;
const BSON_OBJECT_TOO_LARGE = 10334;

export interface MessageHeader {
  readonly length: number;
  readonly requestId: number;
  readonly responseTo: number;
  readonly opCode: number;
}

/** A command as it arrived, whatever the opcode: the body with document sequences merged in. */
export interface IncomingCommand {
  readonly requestId: number;
  readonly opCode: typeof OP_MSG | typeof OP_QUERY;
  readonly body: Document;
  /** OP_MSG moreToCome: the client expects no reply (unacknowledged write). */
  readonly moreToCome: boolean;
  /** OP_QUERY only: the database from `db.$cmd`. */
  readonly legacyDb?: string;
}

/**
 * A parsed message; a malformed frame (`reason`) closes the connection, a well-framed message mongod refuses
 * (`refusal`, e.g. a document over the size limit) is answered with that error.
 */
export type ParseResult =
  | { ok: true; command: IncomingCommand }
  | { ok: false; reason: string }
  | { ok: false; refusal: Document; requestId: number; opCode: number; moreToCome: boolean };

class DocumentTooLarge extends Error {}

export function readHeader(buffer: Buffer): MessageHeader {
  return {
    length: buffer.readInt32LE(0),
    requestId: buffer.readInt32LE(4),
    responseTo: buffer.readInt32LE(8),
    opCode: buffer.readInt32LE(12),
  };
}

function readCString(buffer: Buffer, offset: number): { value: string; next: number } | undefined {
  const end = buffer.indexOf(0, offset);
  if (end < 0) return undefined;
  return { value: buffer.toString('utf8', offset, end), next: end + 1 };
}

function readDocument(buffer: Buffer, offset: number, limit: number): { doc: Document; next: number } {
  if (offset + 4 > limit) throw new Error('truncated BSON document');
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > limit) throw new Error('invalid BSON document length');
  if (size > MAX_BSON_INTERNAL_BYTES) {
    throw new DocumentTooLarge(
      `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${MAX_BSON_INTERNAL_BYTES}(16MB)`,
    );
  }
  const doc = decodeDocument(buffer, offset, offset + size);
  return { doc, next: offset + size };
}

function parseOpMsg(message: Buffer, header: MessageHeader): ParseResult {
  const flags = message.readUInt32LE(HEADER_BYTES);
  if ((flags & REQUIRED_FLAG_BITS & ~KNOWN_REQUIRED_FLAGS) !== 0) {
    return { ok: false, reason: `OP_MSG has unknown required flag bits ${flags.toString(16)}` };
  }
  const limit = message.length - (flags & FLAG_CHECKSUM_PRESENT ? CHECKSUM_BYTES : 0);
  let offset = HEADER_BYTES + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < limit) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === SECTION_BODY) {
      if (body) return { ok: false, reason: 'OP_MSG has more than one body section' };
      const read = readDocument(message, offset, limit);
      body = read.doc;
      offset = read.next;
    } else if (kind === SECTION_DOCUMENT_SEQUENCE) {
      const size = message.readInt32LE(offset);
      const end = offset + size;
      if (size < 5 || end > limit) return { ok: false, reason: 'invalid document sequence length' };
      const name = readCString(message, offset + 4);
      if (!name || name.next > end) return { ok: false, reason: 'invalid document sequence identifier' };
      const docs: Document[] = [];
      let at = name.next;
      while (at < end) {
        const read = readDocument(message, at, end);
        docs.push(read.doc);
        at = read.next;
      }
      sequences.push([name.value, docs]);
      offset = end;
    } else {
      return { ok: false, reason: `unknown OP_MSG section kind ${kind}` };
    }
  }
  if (!body) return { ok: false, reason: 'OP_MSG has no body section' };
  for (const [name, docs] of sequences) body[name] = docs;
  return {
    ok: true,
    command: {
      requestId: header.requestId,
      opCode: OP_MSG,
      body,
      moreToCome: (flags & FLAG_MORE_TO_COME) !== 0,
    },
  };
}

function parseOpQuery(message: Buffer, header: MessageHeader): ParseResult {
  const collection = readCString(message, HEADER_BYTES + 4);
  if (!collection) return { ok: false, reason: 'invalid OP_QUERY collection name' };
  // skip numberToSkip and numberToReturn
  const query = readDocument(message, collection.next + 8, message.length);
  const dot = collection.value.indexOf('.');
  const db = dot >= 0 ? collection.value.slice(0, dot) : collection.value;
  const body = query.doc;
  // Legacy clients may wrap the command as {$query: {...}, $readPreference: ...}.
  const unwrapped =
    typeof body.$query === 'object' && body.$query !== null ? (body.$query as Document) : body;
  return {
    ok: true,
    command: {
      requestId: header.requestId,
      opCode: OP_QUERY,
      body: unwrapped,
      moreToCome: false,
      legacyDb: db,
    },
  };
}

/** Parses one complete message (header included). Malformed input is a value, never a throw. */
export function parseMessage(message: Buffer): ParseResult {
  const header = readHeader(message);
  try {
    if (header.opCode === OP_MSG) return parseOpMsg(message, header);
    if (header.opCode === OP_QUERY) return parseOpQuery(message, header);
    return { ok: false, reason: `unsupported opCode ${header.opCode}` };
  } catch (error) {
    if (error instanceof DocumentTooLarge) {
      const flags = header.opCode === OP_MSG ? message.readUInt32LE(HEADER_BYTES) : 0;
      return {
        ok: false,
        refusal: {
          ok: 0,
          errmsg: error.message,
          code: BSON_OBJECT_TOO_LARGE,
          codeName: 'BSONObjectTooLarge',
        },
        requestId: header.requestId,
        opCode: header.opCode,
        moreToCome: (flags & FLAG_MORE_TO_COME) !== 0,
      };
    }
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function writeHeader(buffer: Buffer, requestId: number, responseTo: number, opCode: number): void {
  buffer.writeInt32LE(buffer.length, 0);
  buffer.writeInt32LE(requestId, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
}

export function encodeOpMsg(requestId: number, responseTo: number, body: Document): Buffer {
  const message = encodeDocument(body, HEADER_BYTES + 4 + 1);
  writeHeader(message, requestId, responseTo, OP_MSG);
  message.writeUInt32LE(0, HEADER_BYTES);
  message.writeUInt8(SECTION_BODY, HEADER_BYTES + 4);
  return message;
}

export function encodeOpReply(requestId: number, responseTo: number, body: Document): Buffer {
  const fixed = HEADER_BYTES + 4 + 8 + 4 + 4;
  const message = encodeDocument(body, fixed);
  writeHeader(message, requestId, responseTo, OP_REPLY);
  message.writeInt32LE(0, HEADER_BYTES); // responseFlags
  message.writeBigInt64LE(0n, HEADER_BYTES + 4); // cursorID
  message.writeInt32LE(0, HEADER_BYTES + 12); // startingFrom
  message.writeInt32LE(1, HEADER_BYTES + 16); // numberReturned
  return message;
}
