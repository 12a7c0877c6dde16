import {
  DisableReq,
  DisableResp,
  EnableReq,
  EnableResp,
  StatisticsReq,
  StatisticsResp,
} from '@eventstore/db-client/generated/projections_pb';
import {
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { EventLog } from '../log/event-log';
import { endWith, failCall } from './call-writer';
import { serviceError } from './errors';

/**
 * The Projections service for the two system projections the log runs (`$by_category`, `$by_event_type`): their
 * statistics, and `enable` while they run. Everything else a real server does here (switching them off or on at
 * run time, state and results, user-defined projections) is refused with UNIMPLEMENTED and says so.
 */

export const SYSTEM_PROJECTIONS = ['$by_category', '$by_event_type'] as const;
const CONTINUOUS = 'Continuous';
const COMPLETE = 100;

export interface ProjectionsServiceOptions {
  readonly log: EventLog;
  /** Whether the log writes the `$ce-`/`$et-` links (fixed when the server starts). */
  readonly running: boolean;
}

function isSystemProjection(name: string): boolean {
  return (SYSTEM_PROJECTIONS as readonly string[]).includes(name);
}

/** EventStoreDB's answer for a name it does not know. */
function projectionNotFound(name: string) {
  return serviceError(status.NOT_FOUND, `Projection '${name}' not found`);
}

function unsupported(what: string) {
  return serviceError(status.UNIMPLEMENTED, `${what} is not supported by the embedded EventStoreDB server`);
}

function details(name: string, running: boolean, log: EventLog): StatisticsResp.Details {
  const processed = running ? log.visibleCount : 0;
  return new StatisticsResp.Details()
    .setCoreprocessingtime('0')
    .setVersion('0')
    .setEpoch('-1')
    .setEffectivename(name)
    .setWritesinprogress(0)
    .setReadsinprogress(0)
    .setPartitionscached(running ? 1 : 0)
    .setStatus(running ? 'Running' : 'Stopped')
    .setStatereason('')
    .setName(name)
    .setMode(CONTINUOUS)
    .setPosition('')
    .setProgress(running ? COMPLETE : 0)
    .setLastcheckpoint('')
    .setEventsprocessedafterrestart(String(processed))
    .setCheckpointstatus('')
    .setBufferedevents('0')
    .setWritependingeventsbeforecheckpoint(0)
    .setWritependingeventsaftercheckpoint(0);
}

type Unary<Req, Resp> = (call: ServerUnaryCall<Req, Resp>, callback: sendUnaryData<Resp>) => void;

function refuse(what: string): Unary<unknown, unknown> {
  return (_call, callback) => callback(unsupported(what));
}

export function createProjectionsService({
  log,
  running,
}: ProjectionsServiceOptions): UntypedServiceImplementation {
  const statistics = (call: ServerWritableStream<StatisticsReq, StatisticsResp>): void => {
    const options = call.request.getOptions();
    const name = options?.getName() ?? '';
    if (name) {
      if (!isSystemProjection(name)) return failCall(call, projectionNotFound(name));
      return endWith(call, [new StatisticsResp().setDetails(details(name, running, log))]);
    }
    // The system projections are continuous; there are no one-time or transient ones here.
    const listed = options?.hasAll() || options?.hasContinuous() ? SYSTEM_PROJECTIONS : [];
    endWith(
      call,
      listed.map((projection) => new StatisticsResp().setDetails(details(projection, running, log))),
    );
  };

  const enable: Unary<EnableReq, EnableResp> = (call, callback) => {
    const name = call.request.getOptions()?.getName() ?? '';
    if (!isSystemProjection(name)) return callback(projectionNotFound(name));
    if (!running) return callback(unsupported('Starting a system projection at run time'));
    callback(null, new EnableResp());
  };

  const disable: Unary<DisableReq, DisableResp> = (call, callback) => {
    const name = call.request.getOptions()?.getName() ?? '';
    if (!isSystemProjection(name)) return callback(projectionNotFound(name));
    callback(unsupported('Stopping a system projection at run time (start with systemProjections: false)'));
  };

  return {
    statistics,
    enable,
    disable,
    create: refuse('Creating user-defined projections'),
    update: refuse('Updating projections'),
    delete: refuse('Deleting projections'),
    reset: refuse('Resetting projections'),
    state: refuse('Projection state'),
    result: refuse('Projection results'),
    restartSubsystem: refuse('Restarting the projection subsystem'),
  };
}
