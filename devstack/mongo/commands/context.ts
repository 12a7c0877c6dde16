import type { Document } from 'bson';
import type { Logger } from 'pino';
import type { Catalog } from '../catalog';
import type { ScanStats } from '../collection';
import type { CursorStore } from '../cursors';
import { commandError } from '../errors';

/** Counters reported by serverStatus (MongoDB's metrics.queryExecutor and opcounters). */
export interface ServerCounters {
  keysExamined: number;
  docsExamined: number;
  readonly opcounters: Record<'insert' | 'query' | 'update' | 'delete' | 'getmore' | 'command', number>;
  connectionsCurrent: number;
  connectionsTotal: number;
}

export interface CommandContext {
  readonly catalog: Catalog;
  readonly cursors: CursorStore;
  readonly counters: ServerCounters;
  readonly logger: Logger;
  readonly db: string;
  readonly connectionId: number;
  readonly startedAt: Date;
  readonly port: number;
  readonly host: string;
}

export type CommandHandler = (body: Document, ctx: CommandContext) => Document;

export function newCounters(): ServerCounters {
  return {
    keysExamined: 0,
    docsExamined: 0,
    opcounters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
    connectionsCurrent: 0,
    connectionsTotal: 0,
  };
}

export function recordScan(ctx: CommandContext, stats: ScanStats): void {
  ctx.counters.keysExamined += stats.keysExamined;
  ctx.counters.docsExamined += stats.docsExamined;
}

/** The collection name a command targets (`{find: "orders"}`), validated as MongoDB does. */
export function collectionName(body: Document, command: string): string {
  const name = body[command] as unknown;
  if (typeof name !== 'string') {
    throw commandError(
      'InvalidNamespace',
      `collection name has invalid type ${name === null ? 'null' : Array.isArray(name) ? 'array' : typeof name}`,
    );
  }
  if (name.length === 0) throw commandError('InvalidNamespace', `Invalid namespace specified '.'`);
  return name;
}

export function optionalDocument(body: Document, field: string, command: string): Document | undefined {
  const value = body[field] as unknown;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw commandError(
      'TypeMismatch',
      `BSON field '${command}.${field}' is the wrong type '${typeof value}', expected type 'object'`,
    );
  }
  return value;
}

export function optionalNumber(body: Document, field: string, command: string): number | undefined {
  const value = body[field] as unknown;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') {
    throw commandError(
      'TypeMismatch',
      `BSON field '${command}.${field}' is the wrong type '${typeof value}', expected types '[long, int, decimal, double]'`,
    );
  }
  return value;
}
