import {
  DisableReq,
  DisableResp,
  EnableReq,
  EnableResp,
  StatisticsReq,
  StatisticsResp,
} from '@eventstore/db-client/generated/projections_pb';
import { ProjectionsService } from '@eventstore/db-client/generated/projections_grpc_pb';
import {
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { EventLog } from '../log/event-log';
import { endWith, failCall } from './call-writer';
import { internalError, serviceError } from './errors';
import { SYSTEM_PROJECTION_NAMES, type SystemProjectionName } from '../log/system-projections';

/**
 * The Projections service for the two system projections the log runs (`$by_category`, `$by_event_type`):
 * statistics, enable (catching up on what was appended while stopped) and disable. Everything else a real
 * server does here (state and results, reset, user-defined projections) is refused with UNIMPLEMENTED and says so.
 */

const CONTINUOUS = 'Continuous';
const COMPLETE = 100;

export interface ProjectionsServiceOptions {
  readonly log: EventLog;
}

function isSystemProjection(name: string): name is SystemProjectionName {
  return (SYSTEM_PROJECTION_NAMES as readonly string[]).includes(name);
}

/** EventStoreDB's answer for a name it does not know. */
function projectionNotFound(name: string) {
  return serviceError(status.NOT_FOUND, `Projection '${name}' not found`);
}

function unsupported(what: string) {
  return serviceError(status.UNIMPLEMENTED, `${what} is not supported by the embedded EventStoreDB server`);
}

function details(name: SystemProjectionName, log: EventLog): StatisticsResp.Details {
  const running = log.isSystemProjectionRunning(name);
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

/**
 * With `--run-projections none` EventStoreDB does not load the projection subsystem, so its Projections gRPC service
 * is never mapped and ASP.NET Core answers every call with UNIMPLEMENTED `Service is unimplemented.`.
 */
export function createUnmappedProjectionsService(): UntypedServiceImplementation {
  const unmapped = () => serviceError(status.UNIMPLEMENTED, 'Service is unimplemented.');
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(ProjectionsService)) {
    implementation[name] = method.responseStream
      ? (call: ServerWritableStream<unknown, unknown>) => failCall(call, unmapped())
      : (_call: unknown, callback: sendUnaryData<unknown>) => callback(unmapped());
  }
  return implementation;
}

export function createProjectionsService({ log }: ProjectionsServiceOptions): UntypedServiceImplementation {
  const statistics = (call: ServerWritableStream<StatisticsReq, StatisticsResp>): void => {
    const options = call.request.getOptions();
    const name = options?.getName() ?? '';
    if (name) {
      if (!isSystemProjection(name)) return failCall(call, projectionNotFound(name));
      return endWith(call, [new StatisticsResp().setDetails(details(name, log))]);
    }
    // The system projections are continuous; there are no one-time or transient ones here.
    const listed = options?.hasAll() || options?.hasContinuous() ? SYSTEM_PROJECTION_NAMES : [];
    endWith(
      call,
      listed.map((projection) => new StatisticsResp().setDetails(details(projection, log))),
    );
  };

  const enable: Unary<EnableReq, EnableResp> = (call, callback) => {
    const name = call.request.getOptions()?.getName() ?? '';
    if (!isSystemProjection(name)) return callback(projectionNotFound(name));
    log.startSystemProjection(name).then(
      () => callback(null, new EnableResp()),
      (error: unknown) => callback(internalError(error)),
    );
  };

  const disable: Unary<DisableReq, DisableResp> = (call, callback) => {
    const name = call.request.getOptions()?.getName() ?? '';
    if (!isSystemProjection(name)) return callback(projectionNotFound(name));
    log.stopSystemProjection(name);
    callback(null, new DisableResp());
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
