import { parseDevstackArgs, UsageError } from './devstack-args';

describe('the devstack projection flags, as EventStoreDB takes them', () => {
  it('defaults to no projections and the standard ones not started', () => {
    expect(parseDevstackArgs([])).toMatchObject({ runProjections: 'none', startStandardProjections: false });
  });

  it.each([
    [['--run-projections', 'System'], 'system'],
    [['--run-projections=ALL'], 'all'],
    [['--run-projections', 'none'], 'none'],
  ])('reads %j case-insensitively', (argv, mode) => {
    expect(parseDevstackArgs(argv)).toMatchObject({ runProjections: mode });
  });

  it.each([
    [['--start-standard-projections'], true],
    [['--start-standard-projections=true'], true],
    [['--start-standard-projections=False'], false],
  ])('reads %j', (argv, start) => {
    expect(parseDevstackArgs(argv)).toMatchObject({ startStandardProjections: start });
  });

  it('refuses other values and says which', () => {
    expect(() => parseDevstackArgs(['--run-projections', 'user'])).toThrow(UsageError);
    expect(() => parseDevstackArgs(['--run-projections', 'user'])).toThrow(/none, system or all, got "user"/);
    expect(() => parseDevstackArgs(['--start-standard-projections=yes'])).toThrow(/true or false/);
  });
});
