import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { eventually } from '../../../lib/eventually';
import { createLogger } from '../../../lib/logger';
import { runProcess } from '../../../lib/process-runner';
import { EventLog } from '../log/event-log';
import { LOG_FILE_NAME } from '../log/log-file';
import { collect, startHarness } from './harness';

const silent = createLogger('eventstore', { level: 'silent' });
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'esdb-durability-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The server as its own process (`standalone.ts` prints `{"port": N}` once it listens), to be SIGKILLed. */
function startChild(dbDir: string) {
  const child = runProcess({
    name: 'eventstore',
    entry: 'devstack/eventstore/standalone.ts',
    args: [dbDir],
    onLine: (line, stream) => stream === 'stderr' && process.stderr.write(`${line}\n`),
  });
  const port = child
    .waitForLine((line) => line.startsWith('{"port"'), 30_000)
    .then((line) => (JSON.parse(line) as { port: number }).port);
  return { child, port };
}

interface Acked {
  readonly stream: string;
  readonly ids: readonly string[];
  readonly revision: bigint;
  readonly commit: bigint;
}

it('keeps every acknowledged event, in order and at the same position, after SIGKILL mid-load', async () => {
  const { child, port } = startChild(dir);
  const client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${await port}?tls=false`);
  const acked: Acked[] = [];
  let running = true;
  const writer = async (writerId: number) => {
    const stream = `crash-${writerId}`;
    while (running) {
      const ids = Array.from({ length: 1 + (acked.length % 4) }, () => randomUUID());
      try {
        const result = await client.appendToStream(
          stream,
          ids.map((id) => jsonEvent({ id, type: 'Load', data: { writerId } })),
        );
        acked.push({
          stream,
          ids,
          revision: result.nextExpectedRevision,
          commit: result.position?.commit ?? -1n,
        });
      } catch {
        return;
      }
    }
  };
  const writers = Array.from({ length: 4 }, (_, index) => writer(index));
  await eventually(() => (acked.length >= 200 ? true : undefined), 30_000, 10);
  await expect(EventLog.open({ dbDir: dir, logger: silent })).rejects.toThrow(/in use by process/);
  await child.kill('SIGKILL');
  running = false;
  await Promise.all(writers);
  await client.dispose();

  const harness = await startHarness({ dbDir: dir });
  try {
    for (let writerId = 0; writerId < 4; writerId++) {
      const stream = `crash-${writerId}`;
      const mine = acked.filter((entry) => entry.stream === stream);
      const stored = await collect(harness.client.readStream(stream));
      const storedIds = stored.map((e) => e.event?.id);
      const ackedIds = mine.flatMap((entry) => entry.ids);
      expect(storedIds.slice(0, ackedIds.length)).toEqual(ackedIds);
      for (const entry of mine) {
        const last = stored[Number(entry.revision)]?.event;
        expect(last?.id).toBe(entry.ids[entry.ids.length - 1]);
        expect(last?.position?.commit).toBe(entry.commit);
      }
    }
  } finally {
    await harness.close();
  }
});

function captureLog() {
  const lines: { msg?: string; reason?: string }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { msg?: string });
      done();
    },
  });
  return { lines, logger: createLogger('eventstore', { level: 'warn', destination }) };
}

async function writeThree(): Promise<number> {
  const log = await EventLog.open({ dbDir: dir, logger: silent, systemProjections: false });
  for (const type of ['One', 'Two', 'Three']) {
    const data = Buffer.from('{}');
    await log.append('torn', 'any', [
      { id: randomUUID(), type, contentType: 'application/json', data, metadata: data },
    ]);
  }
  await log.close();
  return (await stat(join(dir, LOG_FILE_NAME))).size;
}

it('cuts off a partial record at the tail and keeps everything before it', async () => {
  const intactSize = await writeThree();
  await appendFile(join(dir, LOG_FILE_NAME), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5, 6]));
  const { lines, logger } = captureLog();
  const log = await EventLog.open({ dbDir: dir, logger, systemProjections: false });
  const read = log.readStream('torn');
  expect(read.ok && read.events.map((e) => e.event?.type)).toEqual(['One', 'Two', 'Three']);
  expect(lines.some((line) => line.reason === 'partial record')).toBe(true);
  await log.append('torn', 2, [
    {
      id: randomUUID(),
      type: 'Four',
      contentType: 'application/json',
      data: new Uint8Array(),
      metadata: new Uint8Array(),
    },
  ]);
  await log.close();
  expect((await stat(join(dir, LOG_FILE_NAME))).size).toBeGreaterThan(intactSize);
  const reopened = await EventLog.open({ dbDir: dir, logger: silent, systemProjections: false });
  const again = reopened.readStream('torn');
  expect(again.ok && again.events.map((e) => e.event?.type)).toEqual(['One', 'Two', 'Three', 'Four']);
  await reopened.close();
});

it('cuts off a record whose checksum does not match', async () => {
  await writeThree();
  const path = join(dir, LOG_FILE_NAME);
  const file = await readFile(path);
  file.writeUInt8((file.readUInt8(file.length - 3) ^ 0xff) & 0xff, file.length - 3);
  await writeFile(path, file);
  const { lines, logger } = captureLog();
  const log = await EventLog.open({ dbDir: dir, logger, systemProjections: false });
  const read = log.readStream('torn');
  expect(read.ok && read.events.map((e) => e.event?.type)).toEqual(['One', 'Two']);
  expect(lines.some((line) => line.reason === 'checksum mismatch')).toBe(true);
  await log.close();
});

it('acknowledges concurrent appends after shared fsyncs (group commit)', async () => {
  const log = await EventLog.open({ dbDir: dir, logger: silent, systemProjections: false });
  const appends = 50;
  const results = await Promise.all(
    Array.from({ length: appends }, (_, index) =>
      log.append(`group-${index}`, 'no_stream', [
        {
          id: randomUUID(),
          type: 'G',
          contentType: 'application/json',
          data: new Uint8Array(),
          metadata: new Uint8Array(),
        },
      ]),
    ),
  );
  expect(results.every((result) => result.ok)).toBe(true);
  expect(log.syncCount).toBeGreaterThan(0);
  expect(log.syncCount).toBeLessThan(appends);
  await log.close();
  const reopened = await EventLog.open({ dbDir: dir, logger: silent, systemProjections: false });
  expect(reopened.visibleCount).toBe(appends);
  await reopened.close();
});
