/**
 * EventStoreDB's projection settings, with its defaults: `RunProjections` (`None` | `System` | `All`, default
 * `None`: no projection subsystem at all) and `StartStandardProjections` (default false: with `System` or `All` the
 * standard projections exist but stay `Stopped` until enabled). Only `$by_category` and `$by_event_type` are
 * emulated; `All` differs from `System` only in name, since user-defined projections are refused either way.
 */

export const RUN_PROJECTIONS_MODES = ['none', 'system', 'all'] as const;
export type RunProjections = (typeof RUN_PROJECTIONS_MODES)[number];

export const DEFAULT_RUN_PROJECTIONS: RunProjections = 'none';
export const DEFAULT_START_STANDARD_PROJECTIONS = false;

/** `None`, `system`, `ALL`…: the server parses the value case-insensitively. Undefined when it is none of them. */
export function parseRunProjections(value: string): RunProjections | undefined {
  const lower = value.toLowerCase();
  return RUN_PROJECTIONS_MODES.find((mode) => mode === lower);
}

/** Whether the log writes `$ce-` / `$et-` links from the start. */
export function standardProjectionsRunAtStart(
  runProjections: RunProjections,
  startStandardProjections: boolean,
): boolean {
  return runProjections !== 'none' && startStandardProjections;
}
