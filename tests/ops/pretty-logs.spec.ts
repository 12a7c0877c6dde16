import { prettyLine, usePretty } from '../../lib/pretty-log';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { closedPort } from './processes';

// A person at a terminal reads pretty lines; containers, pipes and files get JSON lines.
jest.setTimeout(60_000);

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const plain = (line: string) => line.replace(ANSI, '').replace(/\r$/, '');

describe('log lines', () => {
  it('read as time, level, service, message and the fields of the record', () => {
    const json = JSON.stringify({
      level: 'warn',
      time: '2026-12-02T15:04:05.123Z',
      service: 'processing',
      pid: 42,
      correlationId: 'r-1',
      reason: 'order o-9 is not known yet',
      retryCount: 3,
      msg: 'input waits: precondition not met yet',
    });
    expect(prettyLine(json, { colours: false })).toBe(
      '15:04:05.123  WARN   processing  input waits: precondition not met yet  ' +
        'correlationId=r-1 reason="order o-9 is not known yet" retryCount=3',
    );
    expect(prettyLine('devstack ready', { colours: false })).toBe('devstack ready');
    expect(plain(prettyLine(json, { label: 'processing-2 ' }))).toMatch(
      /^15:04:05\.123 {2}WARN {3}processing-2 /,
    );
  });

  it('are pretty on a terminal under LOG_FORMAT=auto, JSON otherwise, and as LOG_FORMAT says', () => {
    expect(usePretty('auto', true)).toBe(true);
    expect(usePretty('auto', false)).toBe(false);
    expect(usePretty('auto', undefined)).toBe(false);
    expect(usePretty('json', true)).toBe(false);
    expect(usePretty('pretty', false)).toBe(true);
  });

  describe('of a service process', () => {
    const running: ServiceProcess[] = [];
    afterAll(() => Promise.all(running.map((service) => service.stop())));

    async function startedLine(terminal: boolean): Promise<string> {
      const env = {
        // Nothing listens there: the service starts anyway (its /ready says so), which is all this needs.
        ESDB_CONNECTION_STRING: `esdb://127.0.0.1:${await closedPort()}?tls=false`,
        PROCESSING_PORT: '0',
        LOG_FORMAT: '',
      };
      const service = startServiceProcess('processing/main.ts', env, { terminal });
      running.push(service);
      return plain(await service.waitForLine('processing started', 30_000));
    }

    it('prints pretty lines on a terminal and JSON lines into a pipe', async () => {
      const [onTerminal, intoPipe] = await Promise.all([startedLine(true), startedLine(false)]);
      expect(onTerminal).toMatch(
        /^\d\d:\d\d:\d\d\.\d{3} {2}INFO {3}processing {2}processing started {2}port=\d+ inputStream=shop-input group=shop-processing$/,
      );
      expect(JSON.parse(intoPipe)).toMatchObject({
        level: 'info',
        service: 'processing',
        msg: 'processing started',
      });
    });
  });
});
