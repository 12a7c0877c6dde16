import { DEFAULT_PARKED_LIMIT, parseArgs } from './args';

const MODELS = ['orders', 'requests', 'sales_daily'];
const parse = (...argv: string[]) => parseArgs(argv, MODELS);

describe('admin arguments', () => {
  it.each([
    [['subscription', 'info'], { kind: 'subscription-info' }],
    [['parked', 'list'], { kind: 'parked-list', limit: DEFAULT_PARKED_LIMIT }],
    [['parked', 'list', '--limit', '5'], { kind: 'parked-list', limit: 5 }],
    [['parked', 'list', '--limit=7'], { kind: 'parked-list', limit: 7 }],
    [['parked', 'replay'], { kind: 'parked-replay', limit: DEFAULT_PARKED_LIMIT, waitSeconds: 30 }],
    [['parked', 'replay', '--limit', '2', '--wait=5'], { kind: 'parked-replay', limit: 2, waitSeconds: 5 }],
    [
      ['parked', 'replay', '--request', 'r-1'],
      { kind: 'parked-replay', limit: DEFAULT_PARKED_LIMIT, waitSeconds: 30, requestId: 'r-1' },
    ],
    [['parked', 'show', 'r-1'], { kind: 'parked-show', id: 'r-1' }],
    [
      ['parked', 'skip', 'r-1', '--reason', 'duplicate of r-0', '--by', 'ada'],
      { kind: 'parked-skip', id: 'r-1', reason: 'duplicate of r-0', by: 'ada' },
    ],
    [['projections', 'status'], { kind: 'projections-status' }],
    [['projections', 'rebuild', 'orders'], { kind: 'projections-rebuild', readModel: 'orders' }],
    [['projections', 'verify', 'sales_daily'], { kind: 'projections-verify', readModel: 'sales_daily' }],
    [['projections', 'rebuild', 'all'], { kind: 'projections-rebuild', readModel: 'all' }],
    [['projections', 'poison'], { kind: 'projections-poison' }],
    [['projections', 'poison', 'orders'], { kind: 'projections-poison', readModel: 'orders' }],
    [['--help'], { kind: 'help' }],
    [['parked', '-h'], { kind: 'help' }],
  ])('%j is understood', (argv, command) => {
    expect(parse(...argv)).toEqual({ ok: true, command });
  });

  it.each([
    [[], 'no command given'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['parked'], '"parked" needs an action'],
    [['parked', 'purge'], 'unknown command "parked purge"'],
    [['subscription', 'info', 'extra'], 'unexpected argument "extra"'],
    [['parked', 'list', '--limit'], '--limit needs a number'],
    [['parked', 'list', '--limit', '0'], '--limit must be a positive whole number, got "0"'],
    [['parked', 'list', '--limit', 'ten'], '--limit must be a positive whole number, got "ten"'],
    [['parked', 'list', '--limit', '3', 'more'], 'unexpected argument "more"'],
    [['parked', 'list', '--max', '3'], 'unexpected argument "--max"'],
    [['parked', 'show'], 'parked show needs a requestId or input event id'],
    [['parked', 'skip', 'r-1'], 'parked skip needs --reason "why the message is skipped" (it is recorded)'],
    [
      ['parked', 'skip', 'r-1', '--reason', ' '],
      'parked skip needs --reason "why the message is skipped" (it is recorded)',
    ],
    [['parked', 'replay', '--request'], '--request needs a value'],
    [['parked', 'replay', '--wait', '0'], '--wait must be a positive whole number, got "0"'],
    [['projections', 'verify'], 'projections verify needs a read model: orders, requests, sales_daily, all'],
    [
      ['projections', 'rebuild', 'customers'],
      'unknown read model "customers": expected one of orders, requests, sales_daily, all',
    ],
  ])('%j is refused: %s', (argv, error) => {
    expect(parse(...argv)).toEqual({ ok: false, error });
  });
});
