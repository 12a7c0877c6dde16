/** What the user asked the admin CLI to do, parsed from argv without touching any server. */
export type AdminCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'subscription-info' }
  | { readonly kind: 'parked-list'; readonly limit: number }
  | { readonly kind: 'parked-show'; readonly id: string }
  | {
      readonly kind: 'parked-replay';
      readonly limit: number;
      readonly requestId?: string;
      readonly waitSeconds: number;
    }
  | { readonly kind: 'parked-skip'; readonly id: string; readonly reason: string; readonly by?: string }
  | { readonly kind: 'projections-status' }
  | { readonly kind: 'projections-rebuild'; readonly readModel: string }
  | { readonly kind: 'projections-verify'; readonly readModel: string }
  | { readonly kind: 'projections-poison'; readonly readModel?: string }
  | { readonly kind: 'customers-forget'; readonly customerId: string };

export type ParseResult =
  { readonly ok: true; readonly command: AdminCommand } | { readonly ok: false; readonly error: string };

export const DEFAULT_PARKED_LIMIT = 100;
/** How long `parked replay` watches the replayed messages for their new outcome. */
export const DEFAULT_REPLAY_WAIT_SECONDS = 30;

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

const fail = (error: string): ParseResult => ({ ok: false, error });
const ok = (command: AdminCommand): ParseResult => ({ ok: true, command });

type Flags = Record<string, string>;

/**
 * `--name value` and `--name=value` for the flags `allowed` names; the rest are positional. An unknown flag, or
 * a flag without its value, is an error naming it.
 */
function splitFlags(
  rest: readonly string[],
  allowed: readonly string[],
): { flags: Flags; positional: string[] } | string {
  const flags: Flags = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq === -1 ? arg : arg.slice(0, eq)).slice(2);
    if (!allowed.includes(name)) return `unexpected argument "${arg}"`;
    const value = eq === -1 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '')
      return `--${name} needs ${name === 'limit' ? 'a number' : 'a value'}`;
    flags[name] = value;
  }
  return { flags, positional };
}

function positiveInt(flags: Flags, name: string, fallback: number): number | string {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(raw)) return `--${name} must be a positive whole number, got "${raw}"`;
  return Number(raw);
}

function parseParked(action: string | undefined, rest: readonly string[]): ParseResult | undefined {
  const specs: Record<string, readonly string[]> = {
    list: ['limit'],
    show: [],
    replay: ['limit', 'request', 'wait'],
    skip: ['reason', 'by'],
  };
  if (action === undefined || !(action in specs)) return undefined;
  const split = splitFlags(rest, specs[action]!);
  if (typeof split === 'string') return fail(split);
  const { flags, positional } = split;
  const takesId = action === 'show' || action === 'skip';
  const [id, ...extra] = positional;
  if (takesId && id === undefined) return fail(`parked ${action} needs a requestId or input event id`);
  const unexpected = takesId ? extra[0] : positional[0];
  if (unexpected !== undefined) return fail(`unexpected argument "${unexpected}"`);
  const limit = positiveInt(flags, 'limit', DEFAULT_PARKED_LIMIT);
  if (typeof limit === 'string') return fail(limit);
  switch (action) {
    case 'list':
      return ok({ kind: 'parked-list', limit });
    case 'show':
      return ok({ kind: 'parked-show', id: id! });
    case 'replay': {
      const waitSeconds = positiveInt(flags, 'wait', DEFAULT_REPLAY_WAIT_SECONDS);
      if (typeof waitSeconds === 'string') return fail(waitSeconds);
      const request = flags.request === undefined ? {} : { requestId: flags.request };
      return ok({ kind: 'parked-replay', limit, waitSeconds, ...request });
    }
    default: {
      const reason = flags.reason?.trim();
      if (!reason) return fail('parked skip needs --reason "why the message is skipped" (it is recorded)');
      return ok({
        kind: 'parked-skip',
        id: id!,
        reason,
        ...(flags.by === undefined ? {} : { by: flags.by }),
      });
    }
  }
}

function noMoreArguments(rest: readonly string[], command: AdminCommand): ParseResult {
  return rest.length === 0 ? ok(command) : fail(`unexpected argument "${rest[0]}"`);
}

/** `projections rebuild|verify all`: every read model, fed by one subscription. */
export const ALL_READ_MODELS = 'all';

function parseReadModel(
  kind: 'projections-rebuild' | 'projections-verify',
  rest: readonly string[],
  readModels: readonly string[],
): ParseResult {
  const [readModel, ...extra] = rest;
  const verb = kind === 'projections-rebuild' ? 'rebuild' : 'verify';
  if (readModel === undefined)
    return fail(`projections ${verb} needs a read model: ${[...readModels, ALL_READ_MODELS].join(', ')}`);
  if (readModel !== ALL_READ_MODELS && !readModels.includes(readModel)) {
    return fail(
      `unknown read model "${readModel}": expected one of ${[...readModels, ALL_READ_MODELS].join(', ')}`,
    );
  }
  return noMoreArguments(extra, { kind, readModel });
}

/** Parses `<group> <action> [args]`; `readModels` are the names `projections rebuild|verify` accept. */
export function parseArgs(argv: readonly string[], readModels: readonly string[]): ParseResult {
  if (argv.length === 0) return fail('no command given');
  if (argv.some((arg) => HELP_FLAGS.has(arg))) return ok({ kind: 'help' });
  const [group, action, ...rest] = argv;
  switch (group) {
    case 'subscription':
      if (action === 'info') return noMoreArguments(rest, { kind: 'subscription-info' });
      break;
    case 'parked': {
      const parsed = parseParked(action, rest);
      if (parsed) return parsed;
      break;
    }
    case 'projections':
      if (action === 'status') return noMoreArguments(rest, { kind: 'projections-status' });
      if (action === 'rebuild' || action === 'verify') {
        return parseReadModel(`projections-${action}`, rest, readModels);
      }
      if (action === 'poison') {
        const [readModel, ...extra] = rest;
        if (readModel !== undefined && !readModels.includes(readModel)) {
          return fail(`unknown read model "${readModel}": expected one of ${readModels.join(', ')}`);
        }
        return noMoreArguments(extra, { kind: 'projections-poison', ...(readModel ? { readModel } : {}) });
      }
      break;
    case 'customers':
      if (action === 'forget') {
        const [customerId, ...extra] = rest;
        if (customerId === undefined || customerId === '')
          return fail('customers forget needs a customer id');
        return noMoreArguments(extra, { kind: 'customers-forget', customerId });
      }
      break;
    default:
      return fail(`unknown command "${group}"`);
  }
  return fail(action === undefined ? `"${group}" needs an action` : `unknown command "${group} ${action}"`);
}
