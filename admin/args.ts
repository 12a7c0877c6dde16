/** What the user asked the admin CLI to do, parsed from argv without touching any server. */
export type AdminCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'subscription-info' }
  | { readonly kind: 'parked-list'; readonly limit: number }
  | { readonly kind: 'parked-replay' }
  | { readonly kind: 'projections-status' }
  | { readonly kind: 'projections-rebuild'; readonly readModel: string }
  | { readonly kind: 'projections-verify'; readonly readModel: string }
  | { readonly kind: 'customers-forget'; readonly customerId: string };

export type ParseResult =
  { readonly ok: true; readonly command: AdminCommand } | { readonly ok: false; readonly error: string };

export const DEFAULT_PARKED_LIMIT = 100;

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

const fail = (error: string): ParseResult => ({ ok: false, error });
const ok = (command: AdminCommand): ParseResult => ({ ok: true, command });

function noMoreArguments(rest: readonly string[], command: AdminCommand): ParseResult {
  return rest.length === 0 ? ok(command) : fail(`unexpected argument "${rest[0]}"`);
}

function parseLimit(rest: readonly string[]): ParseResult {
  if (rest.length === 0) return ok({ kind: 'parked-list', limit: DEFAULT_PARKED_LIMIT });
  const [flag, value, ...extra] = rest;
  const inline = flag?.startsWith('--limit=') ? flag.slice('--limit='.length) : undefined;
  if (flag !== '--limit' && inline === undefined) return fail(`unexpected argument "${flag}"`);
  const raw = inline ?? value;
  const remaining = inline === undefined ? extra : rest.slice(1);
  if (raw === undefined) return fail('--limit needs a number');
  if (!/^[1-9]\d*$/.test(raw)) return fail(`--limit must be a positive whole number, got "${raw}"`);
  return noMoreArguments(remaining, { kind: 'parked-list', limit: Number(raw) });
}

function parseReadModel(
  kind: 'projections-rebuild' | 'projections-verify',
  rest: readonly string[],
  readModels: readonly string[],
): ParseResult {
  const [readModel, ...extra] = rest;
  const verb = kind === 'projections-rebuild' ? 'rebuild' : 'verify';
  if (readModel === undefined)
    return fail(`projections ${verb} needs a read model: ${readModels.join(', ')}`);
  if (!readModels.includes(readModel)) {
    return fail(`unknown read model "${readModel}": expected one of ${readModels.join(', ')}`);
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
    case 'parked':
      if (action === 'list') return parseLimit(rest);
      if (action === 'replay') return noMoreArguments(rest, { kind: 'parked-replay' });
      break;
    case 'projections':
      if (action === 'status') return noMoreArguments(rest, { kind: 'projections-status' });
      if (action === 'rebuild' || action === 'verify') {
        return parseReadModel(`projections-${action}`, rest, readModels);
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
