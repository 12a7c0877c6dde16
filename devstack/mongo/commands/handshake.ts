import { Long, type Document } from 'bson';
import { bsonSize } from '../document-clone';
import { MAX_BSON_OBJECT_BYTES, MAX_MESSAGE_BYTES } from '../wire-protocol';
import type { CommandContext, CommandHandler } from './context';

export const SERVER_VERSION = '7.0.0';
// MongoDB 7.0 speaks wire version 21; the driver needs >= 9 (DESIGN.md §7).
export const MAX_WIRE_VERSION = 21;
const MAX_BSON_OBJECT_SIZE = MAX_BSON_OBJECT_BYTES;
const MAX_MESSAGE_SIZE_BYTES = MAX_MESSAGE_BYTES;
const MAX_WRITE_BATCH_SIZE = 100_000;
const LOGICAL_SESSION_TIMEOUT_MINUTES = 30;

/** The standalone hello reply: no setName and no topologyVersion, so the driver treats us as a standalone. */
export function helloReply(ctx: CommandContext, legacy: boolean): Document {
  return {
    // isMaster answers `ismaster`, hello answers `isWritablePrimary`, as mongod does.
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    helloOk: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: LOGICAL_SESSION_TIMEOUT_MINUTES,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'devstack',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['devstack-memory'],
  javascriptEngine: 'none',
  modules: [],
  ok: 1,
});

const PARAMETERS: Document = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  maxBSONDepth: 100,
  internalQueryMaxBlockingSortMemoryUsageBytes: 100 * 1024 * 1024,
};

const getParameter: CommandHandler = (body) => {
  const reply: Document = {};
  const all =
    body.getParameter === '*' || (typeof body.getParameter === 'object' && body.getParameter !== null);
  for (const [name, value] of Object.entries(PARAMETERS)) {
    if (all || body[name] !== undefined) reply[name] = value as unknown;
  }
  if (Object.keys(reply).length === 0) {
    return { ok: 0, errmsg: 'no option found to get', code: 72, codeName: 'InvalidOptions' };
  }
  return { ...reply, ok: 1 };
};

function serverStatus(_body: Document, ctx: CommandContext): Document {
  const { counters } = ctx;
  let objects = 0;
  let dataSize = 0;
  for (const db of ctx.catalog.databaseNames()) {
    for (const collection of ctx.catalog.collections(db)) {
      objects += collection.size;
      if (collection.size < 10_000) for (const doc of collection.records.values()) dataSize += bsonSize(doc);
    }
  }
  return {
    host: `${ctx.host}:${ctx.port}`,
    version: SERVER_VERSION,
    process: 'devstack-mongo',
    pid: Long.fromNumber(process.pid),
    uptime: (Date.now() - ctx.startedAt.getTime()) / 1000,
    localTime: new Date(),
    connections: { current: counters.connectionsCurrent, totalCreated: counters.connectionsTotal },
    opcounters: { ...counters.opcounters },
    metrics: {
      queryExecutor: {
        scanned: Long.fromNumber(counters.keysExamined),
        scannedObjects: Long.fromNumber(counters.docsExamined),
      },
      cursor: { open: { total: Long.fromNumber(ctx.cursors.openCount) } },
      document: { count: objects, approximateSmallDataSize: dataSize },
    },
    ok: 1,
  };
}

export const handshakeCommands: Record<string, CommandHandler> = {
  hello: (_body, ctx) => helloReply(ctx, false),
  isMaster: (_body, ctx) => helloReply(ctx, true),
  ismaster: (_body, ctx) => helloReply(ctx, true),
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  serverStatus,
  endSessions: () => ({ ok: 1 }),
  startSession: () => ({ ok: 1 }),
  refreshSessions: () => ({ ok: 1 }),
  whatsmyuri: (_body, ctx) => ({ you: `${ctx.host}:${ctx.connectionId}`, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  hostInfo: () => ({ system: { hostname: 'devstack', numCores: 1 }, os: { type: process.platform }, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['devstack-mongo'], parsed: {}, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
};
