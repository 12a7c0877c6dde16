import type { Collection, Db } from 'mongodb';
import type { AllPosition } from '../../lib/catch-up';
import { CHECKPOINTS_COLLECTION, type CheckpointDocument } from '../../contracts/read-models/checkpoints';

export interface CheckpointStore {
  load(name: string): Promise<AllPosition | undefined>;
  save(name: string, position: AllPosition): Promise<void>;
  remove(name: string): Promise<void>;
}

export function mongoCheckpointStore(db: Db): CheckpointStore {
  const checkpoints: Collection<CheckpointDocument> = db.collection(CHECKPOINTS_COLLECTION);
  return {
    async load(name) {
      const doc = await checkpoints.findOne({ _id: name });
      return doc ? { commit: doc.commit, prepare: doc.prepare } : undefined;
    },
    async save(name, position) {
      await checkpoints.updateOne(
        { _id: name },
        { $set: { commit: position.commit, prepare: position.prepare, updatedAt: new Date() } },
        { upsert: true },
      );
    },
    async remove(name) {
      await checkpoints.deleteOne({ _id: name });
    },
  };
}
