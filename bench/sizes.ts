/** How long and how big each measurement is, per mode: the one place to change them. */
export interface Sizes {
  /** Each closed-loop and open-loop ingest run (after a 1 s warm-up). */
  readonly loadSeconds: number;
  readonly e2eSeconds: number;
  /** How long to wait after the e2e load for the last orders to show up. */
  readonly e2eDrainMs: number;
  /** Each window of the keep-up ladder (100, 200, 300, 500 orders/s offered). */
  readonly keepUpStepSeconds: number;
  readonly processingMessages: number;
  /** Processing is timed from the warm mark to the last message or the end of this window. */
  readonly processingWindowMs: number;
  readonly rebuildEvents: number;
  /** A rebuild still running after this is stopped and rated by how far it got. */
  readonly rebuildLimitMs: number;
}

export const FULL: Sizes = {
  loadSeconds: 15,
  e2eSeconds: 20,
  e2eDrainMs: 60_000,
  keepUpStepSeconds: 8,
  processingMessages: 10_000,
  processingWindowMs: 30_000,
  rebuildEvents: 1_000_000,
  rebuildLimitMs: 240_000,
};

export const QUICK: Sizes = {
  loadSeconds: 2,
  e2eSeconds: 4,
  e2eDrainMs: 8_000,
  keepUpStepSeconds: 3,
  processingMessages: 1_500,
  processingWindowMs: 5_000,
  rebuildEvents: 10_000,
  rebuildLimitMs: 60_000,
};

export const sizesFor = (quick: boolean): Sizes => (quick ? QUICK : FULL);
