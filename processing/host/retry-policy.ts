/**
 * When a message that cannot be handled yet is tried again, and when it is parked. A message waiting for a
 * predecessor is retried with backoff until it has waited `waitWindowMs`; a technical failure is retried
 * `maxRetryCount` times. Delays grow from 100 ms to 5 s, so a payment a moment ahead of its order goes through
 * within a few hundred milliseconds and a long wait costs one read every 5 s.
 */
export interface RetryPolicy {
  readonly maxRetryCount: number;
  readonly waitWindowMs: number;
}

export const FIRST_RETRY_DELAY_MS = 100;
export const MAX_RETRY_DELAY_MS = 5000;

export function retryDelayMs(retryCount: number): number {
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.min(retryCount, 30), MAX_RETRY_DELAY_MS);
}

/** How long a message has waited by the schedule before its `retryCount`-th retry. */
export function waitedMs(retryCount: number): number {
  let total = 0;
  for (let i = 0; i < retryCount; i++) total += retryDelayMs(i);
  return total;
}

/** The retries the wait window takes. */
export function retriesWithin(windowMs: number): number {
  let retries = 0;
  while (waitedMs(retries) < windowMs) retries++;
  return retries;
}

/**
 * The group's own retry limit: above every retry the handler asks for, so the server parks on its own only
 * messages whose handler never answered (timeouts), and the handler parks the rest with its reason.
 */
export function serverMaxRetryCount(policy: RetryPolicy): number {
  return Math.max(policy.maxRetryCount, retriesWithin(policy.waitWindowMs)) + 1;
}
