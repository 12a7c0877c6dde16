import { parseArgs } from 'node:util';
import { DEFAULT_PORT as DEFAULT_ESDB_PORT, parseRunProjections, type RunProjections } from './eventstore';
import {
  DEFAULT_RUN_PROJECTIONS,
  DEFAULT_START_STANDARD_PROJECTIONS,
} from './eventstore/projections-options';
import { DEFAULT_MONGO_PORT } from './mongo';

export interface DevstackOptions {
  readonly esdbPort: number;
  readonly mongoPort: number;
  readonly host: string;
  /** undefined = in memory */
  readonly esdbDir: string | undefined;
  readonly mongoDbPath: string | undefined;
  readonly startEventStore: boolean;
  readonly startMongo: boolean;
  readonly runProjections: RunProjections;
  readonly startStandardProjections: boolean;
}

export const DEVSTACK_USAGE = `Usage: npm run devstack -- [options]
  --esdb-port N   EventStoreDB gRPC port (default ${DEFAULT_ESDB_PORT})
  --mongo-port N  MongoDB port (default ${DEFAULT_MONGO_PORT})
  --host ADDR     address to listen on (default 127.0.0.1)
  --db DIR        EventStoreDB data directory (default ./data/eventstore)
  --dbpath DIR    MongoDB data directory (default ./data/mongo)
  --mem-db        keep everything in memory, like EventStoreDB's --mem-db (both servers)
  --run-projections none|system|all
                  EventStoreDB's projection subsystem (default ${DEFAULT_RUN_PROJECTIONS}, case-insensitive): none serves
                  no Projections API; system/all run $by_category and $by_event_type ($ce-/$et- links)
  --start-standard-projections[=true|false]
                  start those projections Running instead of Stopped (default ${DEFAULT_START_STANDARD_PROJECTIONS})
  --no-esdb       start only MongoDB
  --no-mongo      start only EventStoreDB
  --help          show this text`;

export class UsageError extends Error {}

function portOf(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${flag} must be a port number between 0 and 65535, got "${value}"`);
  }
  return port;
}

const START_STANDARD_PROJECTIONS = '--start-standard-projections';

/** EventStoreDB takes `--start-standard-projections`, `=true` or `=false`; parseArgs' booleans take no value. */
function withoutStartStandardProjectionsValue(argv: readonly string[]): {
  args: string[];
  startStandardProjections: boolean | undefined;
} {
  let startStandardProjections: boolean | undefined;
  const args = argv.filter((arg) => {
    if (arg === START_STANDARD_PROJECTIONS) startStandardProjections = true;
    else if (arg.startsWith(`${START_STANDARD_PROJECTIONS}=`)) {
      const value = arg.slice(START_STANDARD_PROJECTIONS.length + 1).toLowerCase();
      if (value !== 'true' && value !== 'false') {
        throw new UsageError(`${START_STANDARD_PROJECTIONS} must be true or false, got "${value}"`);
      }
      startStandardProjections = value === 'true';
    } else return true;
    return false;
  });
  return { args, startStandardProjections };
}

function runProjectionsOf(value: string | undefined): RunProjections {
  if (value === undefined) return DEFAULT_RUN_PROJECTIONS;
  const mode = parseRunProjections(value);
  if (!mode) throw new UsageError(`--run-projections must be none, system or all, got "${value}"`);
  return mode;
}

/** Reads the devstack's flags; a bad flag is a UsageError whose message says which and why. */
export function parseDevstackArgs(argv: readonly string[]): DevstackOptions | 'help' {
  const { args, startStandardProjections } = withoutStartStandardProjectionsValue(argv);
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'esdb-port': { type: 'string' },
        'mongo-port': { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        dbpath: { type: 'string' },
        'mem-db': { type: 'boolean' },
        'no-esdb': { type: 'boolean' },
        'no-mongo': { type: 'boolean' },
        'run-projections': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const memDb = values['mem-db'] ?? false;
  return {
    esdbPort: portOf('--esdb-port', values['esdb-port'], DEFAULT_ESDB_PORT),
    mongoPort: portOf('--mongo-port', values['mongo-port'], DEFAULT_MONGO_PORT),
    host: values.host ?? '127.0.0.1',
    esdbDir: memDb ? undefined : (values.db ?? './data/eventstore'),
    mongoDbPath: memDb ? undefined : (values.dbpath ?? './data/mongo'),
    startEventStore: !(values['no-esdb'] ?? false),
    startMongo: !(values['no-mongo'] ?? false),
    runProjections: runProjectionsOf(values['run-projections']),
    startStandardProjections: startStandardProjections ?? DEFAULT_START_STANDARD_PROJECTIONS,
  };
}
