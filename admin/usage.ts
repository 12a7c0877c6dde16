import { DEFAULT_PARKED_LIMIT } from './args';

/** The text `--help` prints, and what follows a usage error. */
export function usageText(readModels: readonly string[]): string {
  return `Usage: npm run admin -- <command>

Commands:
  subscription info              the processing group on the input stream: status, consumers and their
                                 in-flight messages, parked count, last checkpoint
  parked list [--limit N]        parked input messages: requestId, event id, type, reason (default N = ${DEFAULT_PARKED_LIMIT})
  parked replay                  send every parked message back to the processors
  projections status             per read model: checkpoint, documents, lag in events and seconds
  projections rebuild <model>    rebuild a read model from the history and switch it in (blue-green)
  projections verify <model>     rebuild into a scratch collection and compare with the live one;
                                 exit code 1 when they differ
  customers forget <customerId>  delete the customer's key: their personal data can no longer be read
                                 anywhere (events, read models, rebuilds) and answers show "erased"
  --help                         this text

Read models: ${readModels.join(', ')}

Configuration (environment): ESDB_CONNECTION_STRING, MONGO_URL, INPUT_STREAM, PROCESSING_GROUP, PII_KEYS_DATABASE,
LOG_LEVEL
Exit codes: 0 done, 1 failed or differences found, 2 bad command or configuration
`;
}
