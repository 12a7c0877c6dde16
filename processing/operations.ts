/**
 * What operators (the admin CLI) may use of step 2 beyond the published contracts: the retry policy the group is
 * created with, a request's recorded outcomes, the way outcomes are recorded (an operator's skip is one), and the
 * namespace that derives event ids from an input's identity (a replayed copy keeps its original's ids).
 */
export { serverMaxRetryCount, type RetryPolicy } from './host/retry-policy';
export {
  firstRecordedAttempt,
  latestPark,
  readRequestHistory,
  settledOutcome,
  type RecordedOutcome,
} from './host/request-history';
export { eventStoreOutcomeRecorder } from './host/outcome-recorder';
export { EVENT_ID_NAMESPACE } from './host/command-handler';
