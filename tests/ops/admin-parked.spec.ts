import { http, postJson } from '../support/http-client';
import { eventually } from '../../lib/eventually';
import { GROUP, INPUT_STREAM, startPipeline, type Pipeline } from '../support/pipeline';
import { uniqueName } from '../support/test-servers';
import { runToEnd, type Finished } from './processes';

// Parked messages an operator works with: the reason kept end to end, show, a single replay, a bounded replay,
// an audited skip. Each CLI run is a tsx start-up, so the steps share one scenario.
jest.setTimeout(120_000);

const API = '/shop/api/v1';
const ADMIN = 'admin/main.ts';
const ids = (name: string) => ({ order: uniqueName(`o-${name}`), payment: uniqueName(`p-${name}`) });
const A = ids('a');
const B = ids('b');
const C = ids('c');

interface RequestBody {
  status?: string;
  reason?: string;
  parked?: { reason: string; retryCount: number; firstAttemptAt: string; lastAttemptAt: string };
}

describe('npm run admin -- parked', () => {
  let pipeline: Pipeline;
  let env: Record<string, string>;
  const requestIds: Record<string, string> = {};
  const admin = (...args: string[]): Promise<Finished> => runToEnd(ADMIN, args, env);

  const send = (applies: string, payload: Record<string, unknown>) =>
    postJson(pipeline.url, API, { applies, source: 'web', profile: 'web/v1', ...payload });
  const pay = (which: { order: string; payment: string }) =>
    send('Payment', {
      action: 'pay',
      paymentId: which.payment,
      orderId: which.order,
      amount: '10.00',
      currency: 'EUR',
      method: 'card',
    });
  const place = (orderId: string) =>
    send('Order', {
      action: 'place',
      orderId,
      customer: { id: 'c-9', name: 'Grace' },
      lines: [{ sku: 'SKU-9', quantity: 1, unitPrice: '10.00' }],
      currency: 'EUR',
    });
  const request = async (requestId: string, status: string) =>
    eventually(async () => {
      const body = (await http(pipeline.url, `${API}/requests/${requestId}`)).body as RequestBody;
      return body.status === status ? body : undefined;
    });
  const orderStatus = async (orderId: string) =>
    (
      (await http(pipeline.url, `${API}/orders/${orderId}`)).body as {
        status?: string;
      }
    ).status;
  const row = (result: Finished, requestId: string) =>
    result.stdout.split('\n').find((line) => line.startsWith(requestId));

  beforeAll(async () => {
    pipeline = await startPipeline({ maxRetryCount: 1, waitWindowMs: 300 });
    env = {
      ESDB_CONNECTION_STRING: pipeline.esdbConnectionString,
      MONGO_URL: pipeline.mongoUrl,
      INPUT_STREAM,
      PROCESSING_GROUP: GROUP,
      PROCESSING_MAX_RETRY: '1',
      PROCESSING_WAIT_WINDOW_MS: '300',
    };
    // One after the other, so they are parked in this order: A, B, C.
    for (const [name, which] of Object.entries({ A, B, C })) {
      requestIds[name] = ((await pay(which)).body as { requestId: string }).requestId;
      await request(requestIds[name], 'parked');
    }
  });
  afterAll(() => pipeline.stop());

  it('keeps the full reason and the attempts on the request, and subscription info shows the real retry count', async () => {
    const parked = await request(requestIds.A!, 'parked');
    expect(parked.reason).toMatch(new RegExp(`^still waiting after 0 s: .*${A.order}`));
    expect(parked.parked).toEqual({
      reason: parked.reason,
      retryCount: expect.any(Number),
      firstAttemptAt: expect.stringMatching(/^\d{4}-/),
      lastAttemptAt: expect.stringMatching(/^\d{4}-/),
    });
    expect(parked.parked!.retryCount).toBeGreaterThanOrEqual(2);
    expect(parked.parked!.firstAttemptAt < parked.parked!.lastAttemptAt).toBe(true);

    const info = await admin('subscription', 'info');
    expect(info.code).toBe(0);
    // PROCESSING_MAX_RETRY is 1: the group's own limit (3 here) is a different number, shown apart.
    expect(info.stdout).toMatch(/max retry count:\s+1 \(PROCESSING_MAX_RETRY/);
    expect(info.stdout).toMatch(/server retry limit:\s+3 \(/);
    expect(info.stdout).toMatch(/parked messages:\s+3\n/);
  });

  it('lists each parked message with its full reason and attempts, and shows one in full', async () => {
    const [listed, shown] = await Promise.all([
      admin('parked', 'list'),
      admin('parked', 'show', requestIds.B!),
    ]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('3 parked messages:');
    const a = row(listed, requestIds.A!);
    expect(a).toMatch(/\sparked\s+\d{4}-\S+\s+\d+\s+\d{4}-\S+\s+\d{4}-\S+\s+still waiting after 0 s: /);
    expect(a).toContain(A.order);

    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`requestId:\\s+${requestIds.B}\n`));
    expect(shown.stdout).toMatch(/server says:\s+Client explicitly NAK'ed message\./);
    expect(shown.stdout).toContain(`"paymentId": "${B.payment}"`);
    expect(shown.stdout).toMatch(
      new RegExp(`\\d{4}-\\S+\\s+ShopDataWaiting\\s+order ${B.order} is not known yet`),
    );
    expect(shown.stdout).toMatch(/ShopDataParked\s+still waiting after 0 s/);
  });

  it('skips a message on purpose: an audited rejection, never handled even once its order exists', async () => {
    const skipped = await admin(
      'parked',
      'skip',
      requestIds.B!,
      '--reason',
      'duplicate payment',
      '--by',
      'ops',
    );
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('recorded as rejected, "skipped by ops: duplicate payment"');
    // A is parked before it and still undecided: B waits for a replay that reaches it.
    expect(skipped.stdout).toContain('stays in the parked stream behind messages still undecided');
    expect((await request(requestIds.B!, 'rejected')).reason).toBe('skipped by ops: duplicate payment');

    const again = await admin('parked', 'skip', requestIds.B!, '--reason', 'twice');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is already skipped by ops: there is nothing to skip');
  });

  it('replays one message alone, leaving the others parked', async () => {
    await place(C.order);
    await eventually(async () => ((await orderStatus(C.order)) === 'Placed' ? true : undefined));
    const replayed = await admin('parked', 'replay', '--request', requestIds.C!);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain(
      `Replayed request ${requestIds.C} alone: 1 went through, 0 parked again.`,
    );
    await request(requestIds.C!, 'processed');
    expect(await orderStatus(C.order)).toBe('Paid');
    await request(requestIds.A!, 'parked');
  });

  it('replays at most --limit messages and says which went through and which parked again', async () => {
    // B's order exists now: had the skip not held, the replay would pay it.
    await place(B.order);
    await eventually(async () => ((await orderStatus(B.order)) === 'Placed' ? true : undefined));
    const replayed = await admin('parked', 'replay', '--limit', '2', '--wait', '10');
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain(
      `Replayed 2 of 3 parked messages to group "${GROUP}"; 1 more stays parked (--limit 2): ` +
        '0 went through, 1 parked again, 1 had settled already.',
    );
    expect(row(replayed, requestIds.A!)).toMatch(/parked again$/);
    expect(row(replayed, requestIds.B!)).toMatch(/already settled$/);
    expect(await orderStatus(B.order)).toBe('Placed');
    expect((await request(requestIds.B!, 'rejected')).reason).toBe('skipped by ops: duplicate payment');

    // Left: C (settled by its single replay, not yet reached) and A, parked again at the end.
    const listed = await admin('parked', 'list');
    expect(listed.stdout).toContain('2 parked messages:');
    expect(row(listed, requestIds.C!)).toMatch(/\sprocessed\s/);
    expect(row(listed, requestIds.A!)).toMatch(/\sparked\s/);
  });
});
