import type { EventLog } from '../log/event-log';
import type { RecordedEvent } from '../log/types';
import type { LoggedEvent, PersistentLogPort } from './port';

/** The core's EventLog seen through the persistent-subscription port. */

function toLogged(event: RecordedEvent): LoggedEvent {
  const position = BigInt(event.position);
  return {
    streamId: event.streamId,
    revision: BigInt(event.revision),
    id: event.id,
    type: event.type,
    contentType: event.contentType,
    data: event.data,
    metadata: event.metadata,
    created: event.created,
    position: { commit: position, prepare: position },
  };
}

function present(event: RecordedEvent | undefined): event is RecordedEvent {
  return event !== undefined;
}

export function adaptEventLog(log: EventLog): PersistentLogPort {
  return {
    readStream(stream, from, maxCount) {
      const result = log.readStream(stream, { direction: 'forwards', fromRevision: Number(from), maxCount });
      return Promise.resolve(
        result.ok
          ? result.events
              .map((e) => e.event)
              .filter(present)
              .map(toLogged)
          : [],
      );
    },
    readAll(from, maxCount) {
      const events = log.readAll({ direction: 'forwards', fromPosition: Number(from.commit), maxCount });
      return Promise.resolve(
        events
          .map((e) => e.event)
          .filter(present)
          .map(toLogged),
      );
    },
    readAllLast() {
      const [last] = log.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1 });
      return Promise.resolve(last?.event ? toLogged(last.event) : undefined);
    },
    readLast(stream) {
      const result = log.readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
      const last = result.ok ? result.events[0]?.event : undefined;
      return Promise.resolve(last ? toLogged(last) : undefined);
    },
    lastRevisionOf(stream) {
      return Promise.resolve(BigInt(log.lastVisibleRevisionOf(stream)));
    },
    async append(stream, expected, events) {
      const result = await log.append(
        stream,
        typeof expected === 'bigint' ? Number(expected) : expected,
        events,
      );
      return result.ok ? { ok: true } : { ok: false, reason: result.reason };
    },
    onAppended(listener) {
      return log.onAppended(() => listener());
    },
  };
}
