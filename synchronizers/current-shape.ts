import { CURRENT_SCHEMA_VERSION } from '../contracts/events/domain';
import { isDomainEventType } from '../contracts/events/domain';
import { tryUpcast } from '../contracts/upcasting/upcasters';
import { MalformedEventError } from './event-data';
import type { ProjectedEvent } from './projection';

/**
 * A domain event as the current release shapes it. The history keeps what older releases wrote (e.g. OrderPlaced
 * v0), and a rebuild reads all of it, so projections read events through processing's upcasters. Like processing,
 * an event without a schema version is taken as current. Other events (input messages, outcomes) pass unchanged.
 */
export function currentShape(event: ProjectedEvent): ProjectedEvent {
  if (!isDomainEventType(event.type)) return event;
  const version = event.metadata.schemaVersion;
  const schemaVersion = typeof version === 'number' ? version : CURRENT_SCHEMA_VERSION;
  if (schemaVersion === CURRENT_SCHEMA_VERSION) return event;
  const result = tryUpcast(event.type, event.data, schemaVersion);
  if (!result.ok) throw new MalformedEventError(event.eventId, event.type, result.reason);
  return { ...event, data: result.event.data };
}
