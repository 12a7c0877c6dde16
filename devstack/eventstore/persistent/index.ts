import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { EventLog } from '../log/event-log';
import type { PersistentLogPort } from './port';
import { adaptEventLog } from './log-adapter';
import { GroupRegistry } from './group-registry';
import { createPersistentService } from './service';

export type { PersistentLogPort } from './port';
export { PERSISTENT_SERVICE_DEFINITION } from './read-event-encoder';

export const PERSISTENT_SERVICE_NAME = 'event_store.client.persistent_subscriptions.PersistentSubscriptions';

/**
 * Methods to advertise in ServerFeatures, as `name:features` entries (`advertised()` in the core's
 * server-features.ts). The client needs feature `all` on create/update/delete/read for `…ToAll`, and the
 * methods getInfo/list/replayParked/restartSubsystem present or it falls back to HTTP.
 */
export const PERSISTENT_SUPPORTED_METHODS: readonly string[] = [
  'create:stream,all',
  'update:stream,all',
  'delete:stream,all',
  'read:stream,all',
  'getInfo:stream,all',
  'list:stream,all',
  'replayParked:stream,all',
  'restartSubsystem',
];

export interface PersistentSubscriptions {
  readonly service: UntypedServiceImplementation;
  readonly supportedMethods: string[];
  /** Drops consumers, writes last checkpoints, stops timers. Call before closing the log. */
  close(): Promise<void>;
}

function isPort(log: EventLog | PersistentLogPort): log is PersistentLogPort {
  return 'lastRevisionOf' in log;
}

/**
 * Persistent subscriptions for the embedded server: register `service` for `PERSISTENT_SERVICE_DEFINITION`
 * (`persistent_grpc_pb.js`'s, Read also taking pre-encoded replies) and advertise `supportedMethods` under PERSISTENT_SERVICE_NAME.
 */
export function createPersistentSubscriptions(deps: {
  log: EventLog | PersistentLogPort;
  logger: Logger;
}): PersistentSubscriptions {
  const logger = deps.logger.child({ component: 'persistent-subscriptions' });
  const log = isPort(deps.log) ? deps.log : adaptEventLog(deps.log);
  const registry = new GroupRegistry(log, logger);
  return {
    service: createPersistentService(registry, logger),
    supportedMethods: [...PERSISTENT_SUPPORTED_METHODS],
    close: () => registry.close(),
  };
}
