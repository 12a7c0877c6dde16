import type { OrderEvent } from './orders/events';
import type { PaymentEvent } from './payments/events';
import type { RequestOutcomeEvent } from './requests/events';
import type { ShippingEvent } from './shipping/events';

/** Every event processing appends: the published language the synchronizers read. */
export type DomainEvent = OrderEvent | PaymentEvent | ShippingEvent;
export type ProcessingEvent = DomainEvent | RequestOutcomeEvent;

/** Schema version written into every domain event's metadata; bump it with an upcaster when a shape changes. */
export const CURRENT_SCHEMA_VERSION = 1;

/** Metadata on every event processing appends. */
export interface DomainEventMetadata {
  readonly $correlationId: string;
  readonly $causationId: string;
  readonly schemaVersion: number;
}
