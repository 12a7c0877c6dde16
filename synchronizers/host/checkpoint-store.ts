import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import type { AllPosition } from '../../lib/catch-up';
import { CHECKPOINTS_COLLECTION, type CheckpointDocument } from '../../contracts/read-models/checkpoints';

export interface CheckpointStore {
  load(name: string): Promise<AllPosition | undefined>;
  save(name: string, position: AllPosition): Promise<void>;
  /** Saves several checkpoints in one round trip (the models a batch moved). */
  saveAll(entries: readonly { readonly name: string; readonly position: AllPosition }[]): Promise<void>;
  remove(name: string): Promise<void>;
}

export function mongoCheckpointStore(db: Db): CheckpointStore {
  const checkpoints: Collection<CheckpointDocument> = db.collection(CHECKPOINTS_COLLECTION);
  const upsert = (
    name: string,
    position: AllPosition,
    at: Date,
  ): AnyBulkWriteOperation<CheckpointDocument> => ({
    updateOne: {
      filter: { _id: name },
      update: { $set: { commit: position.commit, prepare: position.prepare, updatedAt: at } },
      upsert: true,
    },
  });
  const store: CheckpointStore = {
    async load(name) {
      const doc = await checkpoints.findOne({ _id: name });
      return doc ? { commit: doc.commit, prepare: doc.prepare } : undefined;
    },
    save: (name, position) => store.saveAll([{ name, position }]),
    async saveAll(entries) {
      if (entries.length === 0) return;
      const at = new Date();
      await checkpoints.bulkWrite(
        entries.map(({ name, position }) => upsert(name, position, at)),
        { ordered: false },
      );
    },
    async remove(name) {
      await checkpoints.deleteOne({ _id: name });
    },
  };
  return store;
}
