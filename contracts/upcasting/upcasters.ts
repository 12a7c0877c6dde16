import {
  CURRENT_SCHEMA_VERSION,
  isDomainEventType,
  type DomainEvent,
  type DomainEventType,
} from '../events/domain';
import { orderPlacedV0ToV1, type Upcasted } from './order-placed-v0';

/** Turns the data of `type` at `fromVersion` into its shape at `fromVersion + 1`. */
type UpcastStep = (data: unknown) => Upcasted;

/**
 * The steps between schema versions, per event type. A type with no step at some version kept its shape
 * across that bump. Add a step here (and bump CURRENT_SCHEMA_VERSION) whenever an event's shape changes.
 */
const STEPS: ReadonlyMap<string, UpcastStep> = new Map([[step('OrderPlaced', 0), orderPlacedV0ToV1]]);

function step(type: DomainEventType, fromVersion: number): string {
  return `${type}@${fromVersion}`;
}

export class UpcastError extends Error {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    reason: string,
  ) {
    super(`cannot load ${eventType} (schema version ${schemaVersion}): ${reason}`);
    this.name = 'UpcastError';
  }
}

export type UpcastResult =
  { readonly ok: true; readonly event: DomainEvent } | { readonly ok: false; readonly reason: string };

/** A stored event, whatever schema version wrote it, as the current DomainEvent shape; a reason when it cannot be. */
export function tryUpcast(type: string, data: unknown, schemaVersion: number): UpcastResult {
  if (!isDomainEventType(type)) return { ok: false, reason: `${type} is not a domain event type` };
  if (!Number.isInteger(schemaVersion) || schemaVersion < 0) {
    return { ok: false, reason: `schema version ${schemaVersion} is not a version` };
  }
  if (schemaVersion > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      reason: `written by a newer release (this one reads up to ${CURRENT_SCHEMA_VERSION})`,
    };
  }
  let current = data;
  for (let version = schemaVersion; version < CURRENT_SCHEMA_VERSION; version++) {
    const upcastStep = STEPS.get(step(type, version));
    if (upcastStep === undefined) continue;
    const next = upcastStep(current);
    if (!next.ok) return next;
    current = next.data;
  }
  if (current === null || typeof current !== 'object')
    return { ok: false, reason: 'its data is not an object' };
  // Current-version data is what this release wrote; its shape is the contract in the events files.
  return { ok: true, event: { type, data: current } as DomainEvent };
}

/** Like tryUpcast, for loaders where an unreadable event is a bug: throws UpcastError. */
export function upcast(type: string, data: unknown, schemaVersion: number): DomainEvent {
  const result = tryUpcast(type, data, schemaVersion);
  if (!result.ok) throw new UpcastError(type, schemaVersion, result.reason);
  return result.event;
}
