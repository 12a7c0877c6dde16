// Loaded first on a worker thread started from the TypeScript sources (tests, the bench): tsx's require hook, so
// the worker's .ts entry and its imports load. Compiled code never starts a worker this way; nor does the image
// hold this folder.
require('tsx/cjs');
