/**
 * Where each read model's subscription stands, kept in MongoDB beside the read models themselves: the `$all`
 * position of the last event the model applied. The gateway's pipeline view and the admin CLI read it.
 */
export interface CheckpointDocument {
  _id: string;
  commit: number;
  prepare: number;
  updatedAt: Date;
}

export const CHECKPOINTS_COLLECTION = 'checkpoints';
