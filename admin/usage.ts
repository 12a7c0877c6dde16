import { DEFAULT_PARKED_LIMIT, DEFAULT_REPLAY_WAIT_SECONDS } from './args';

/** The text `--help` prints, and what follows a usage error. */
export function usageText(readModels: readonly string[]): string {
  return `Usage: npm run admin -- <command>

Commands:
  subscription info              the processing group on the input stream: status, consumers and their
                                 in-flight messages, parked count, last checkpoint
  parked list [--limit N]        parked input messages: requestId, event id, state, retries, first and last
                                 attempt, the full reason (default N = ${DEFAULT_PARKED_LIMIT})
  parked show <id>               one parked message (requestId or event id): raw payload and metadata, what the
                                 server and the processor recorded, the request's history
  parked replay [--limit N] [--wait S]
                                 send the first N parked messages (default ${DEFAULT_PARKED_LIMIT}) back to the
                                 processors and report, within S seconds (default ${DEFAULT_REPLAY_WAIT_SECONDS}), how many went
                                 through and how many parked again
  parked replay --request <id>   replay that one message only, leaving the others parked
  parked skip <id> --reason TEXT [--by NAME]
                                 reject a parked message on purpose: recorded on its request (status rejected,
                                 "skipped by NAME: TEXT"; NAME defaults to your user name), never handled again
  projections status             per read model: checkpoint, documents, lag in events and seconds
  projections rebuild <model|all>
                                 rebuild read models from the history (one subscription feeds them all) and
                                 switch them in (blue-green)
  projections verify <model|all> rebuild into scratch collections and compare with the live ones;
                                 exit code 1 when they differ
  projections poison [model]     events a read model could not apply: skipped, recorded, listed here
  customers forget <customerId>  delete the customer's key: their personal data can no longer be read
                                 anywhere (events, read models, rebuilds) and answers show "erased"
  --help                         this text

Read models: ${readModels.join(', ')}

Configuration (environment): ESDB_CONNECTION_STRING, MONGO_URL, INPUT_STREAM, PROCESSING_GROUP,
  PROCESSING_MAX_RETRY, PROCESSING_WAIT_WINDOW_MS, PII_KEYS_DATABASE, LOG_LEVEL
Exit codes: 0 done, 1 failed or differences found, 2 bad command or configuration
`;
}
