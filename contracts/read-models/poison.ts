/**
 * Events a read model could not apply (a broken contract, or a projection bug the event exposes). The
 * synchronizers skip each one so the model keeps moving, and record it here once; `npm run admin -- projections
 * poison` lists them. Fix the cause, then rebuild the model to apply them.
 */
export interface PoisonDocument {
  /** `<read model>/<event id>`: one record per event and model, however often it is replayed. */
  _id: string;
  readModel: string;
  eventId: string;
  eventType: string;
  streamId: string;
  /** The event's `$all` commit position. */
  position: number;
  /** What the projection threw, for people: the message, never the event's data. */
  error: string;
  recordedAt: Date;
}

export const PROJECTION_POISON_COLLECTION = 'projection_poison';
