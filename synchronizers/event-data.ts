import type { z } from 'zod';
import type { ProjectedEvent } from './projection';

/**
 * A recorded event that breaks its published contract. Unexpected by construction (processing writes these
 * events from typed values), so it is thrown rather than skipped: a silently skipped event would leave the read
 * model wrong with no trace. The runner decides whether to stop or log and move on.
 */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly problem: string,
  ) {
    super(`event ${eventId} (${eventType}) does not match its contract: ${problem}`);
  }
}

export function parseEventPart<T>(schema: z.ZodType<T>, value: unknown, event: ProjectedEvent): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new MalformedEventError(event.eventId, event.type, result.error.message);
}

/** The UTC calendar day (`YYYY-MM-DD`) of an ISO 8601 timestamp, whatever offset it was written with. */
export function utcDayOf(timestamp: string): string {
  return new Date(timestamp).toISOString().slice(0, 10);
}

/** The id of the document an event is about; an event of the model's types without it breaks its contract. */
export function requiredId(value: unknown, field: string, event: ProjectedEvent): string {
  const found: unknown =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
  if (typeof found === 'string' && found.length > 0) return found;
  throw new MalformedEventError(event.eventId, event.type, `${field} is missing or not a non-empty string`);
}
