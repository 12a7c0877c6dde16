import { DEFAULT_PARKED_LIMIT, parseArgs } from './args';

const MODELS = ['orders', 'requests', 'sales_daily'];
const parse = (...argv: string[]) => parseArgs(argv, MODELS);

describe('admin arguments', () => {
  it.each([
    [['subscription', 'info'], { kind: 'subscription-info' }],
    [['parked', 'list'], { kind: 'parked-list', limit: DEFAULT_PARKED_LIMIT }],
    [['parked', 'list', '--limit', '5'], { kind: 'parked-list', limit: 5 }],
    [['parked', 'list', '--limit=7'], { kind: 'parked-list', limit: 7 }],
    [['parked', 'replay'], { kind: 'parked-replay' }],
    [['projections', 'status'], { kind: 'projections-status' }],
    [['projections', 'rebuild', 'orders'], { kind: 'projections-rebuild', readModel: 'orders' }],
    [['projections', 'verify', 'sales_daily'], { kind: 'projections-verify', readModel: 'sales_daily' }],
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
    [['projections', 'verify'], 'projections verify needs a read model: orders, requests, sales_daily'],
    [
      ['projections', 'rebuild', 'customers'],
      'unknown read model "customers": expected one of orders, requests, sales_daily',
    ],
  ])('%j is refused: %s', (argv, error) => {
    expect(parse(...argv)).toEqual({ ok: false, error });
  });
});
