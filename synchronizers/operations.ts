/**
 * What operators (the admin CLI) and the bench may use of step 3 beyond the published contracts: the read models
 * it keeps, and the rebuild, verify and poison-list operations on them. Nothing else in `synchronizers/` is theirs.
 */
export { readModels } from './registry';
export { canHandle, type Projection, type ReadModelDocument } from './projection';
export { diffReadModels, isSameReadModel, type ReadModelDiff } from './read-model-diff';
export {
  projectIntoScratch,
  rebuildReadModels,
  verifyReadModels,
  type RebuildOptions,
  type ScratchResult,
  type VerifyResult,
} from './host/rebuild';
export { mongoPoisonLog } from './host/poison-log';
