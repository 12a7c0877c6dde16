import { runAdmin } from '../admin/run';
import { readModels } from '../synchronizers/registry';
import { rebuildReadModels } from '../synchronizers/host/rebuild';
import { http, postJson } from './support/http-client';
import { eventually } from '../lib/eventually';
import { INPUT_MAX_AGE_SECONDS, INPUT_STREAM, startPipeline, type Pipeline } from './support/pipeline';

const API = '/shop/api/v1';
const today = new Date().toISOString().slice(0, 10);
const ada = { id: 'c-ada', name: 'Ada Lovelace', email: 'ada@example.com' };
const bob = { id: 'c-bob', name: 'Bob Babbage', email: 'bob@example.com' };
const address = { line1: 'Analytical Street 1', city: 'Marylebone', postcode: 'NW1 5LR', country: 'GB' };

const place = (orderId: string, customer: typeof ada) => ({
  applies: 'Order',
  source: 'web',
  profile: 'web/v1',
  action: 'place',
  orderId,
  customer,
  lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: '12.50' }],
  currency: 'EUR',
  shippingAddress: address,
});

interface OrderView {
  readonly customer: { id: string; name: string; email?: string };
  readonly total: string;
}

async function settle(pipeline: Pipeline, body: unknown): Promise<void> {
  const reply = await postJson(pipeline.url, API, body);
  const status = await http(pipeline.url, `${reply.headers.get('location') ?? ''}?wait=20`);
  expect((status.body as { status: string }).status).toBe('processed');
}

const order = async (pipeline: Pipeline, id: string) =>
  eventually(async () => {
    const reply = await http(pipeline.url, `${API}/orders/${id}`);
    return reply.status === 200 ? (reply.body as OrderView) : undefined;
  });

async function storedOrderEvents(pipeline: Pipeline, orderId: string): Promise<string> {
  const events: unknown[] = [];
  for await (const { event } of pipeline.client.readStream(`order-${orderId}`)) events.push(event?.data);
  return JSON.stringify(events);
}

const salesTotals = async (pipeline: Pipeline) =>
  (await http(pipeline.url, `${API}/reports/sales?from=${today}&to=${today}&currency=EUR`)).body;

describe('personal data is sealed in the history and a customer can be forgotten', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline();
    await settle(pipeline, place('o-ada', ada));
    await settle(pipeline, place('o-bob', bob));
  });
  afterAll(() => pipeline.stop());

  it('keeps no name, e-mail or address in plain text in the domain events', async () => {
    const stored = await storedOrderEvents(pipeline, 'o-ada');
    for (const plain of [ada.name, ada.email, address.line1, address.city])
      expect(stored).not.toContain(plain);
    expect(stored).toContain('"$sealed":"AES-256-GCM"');
    expect(stored).toContain('"id":"c-ada"');
    expect(stored).toContain('"total":2500');
  });

  it('gives the raw input stream a retention, so the plain input is a buffer, not the record', async () => {
    await eventually(async () => {
      const { metadata } = await pipeline.client.getStreamMetadata(INPUT_STREAM);
      return metadata?.maxAge === INPUT_MAX_AGE_SECONDS ? true : undefined;
    });
  });

  it('shows the personal data to queries while the customer has a key', async () => {
    expect((await order(pipeline, 'o-ada')).customer).toEqual(ada);
  });

  it('forgets a customer: answers show "erased", events stay as they were, totals stay correct', async () => {
    const eventsBefore = await storedOrderEvents(pipeline, 'o-ada');
    const salesBefore = await salesTotals(pipeline);
    const forget = await http(pipeline.url, `${API}/customers/c-ada/personal-data`, { method: 'DELETE' });
    expect(forget.status).toBe(204);
    expect((await order(pipeline, 'o-ada')).customer).toEqual({
      id: 'c-ada',
      name: 'erased',
      email: 'erased',
    });
    expect((await order(pipeline, 'o-ada')).total).toBe('25.00');
    expect(await storedOrderEvents(pipeline, 'o-ada')).toBe(eventsBefore);
    expect(await salesTotals(pipeline)).toEqual(salesBefore);
    const listed = await http(pipeline.url, `${API}/orders?customerId=c-ada`);
    expect((listed.body as { items: OrderView[] }).items.map((o) => o.customer.name)).toEqual(['erased']);
    expect((await order(pipeline, 'o-bob')).customer).toEqual(bob);
  });

  it('answers forgetting twice like once, and an unknown customer with 404', async () => {
    const again = await http(pipeline.url, `${API}/customers/c-ada/personal-data`, { method: 'DELETE' });
    expect(again.status).toBe(204);
    const recorded: string[] = [];
    for await (const { event } of pipeline.client.readStream('customer-c-ada'))
      recorded.push(event?.type ?? '');
    expect(recorded).toEqual(['CustomerForgotten']);
    const unknown = await http(pipeline.url, `${API}/customers/c-nobody/personal-data`, { method: 'DELETE' });
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toMatch(/problem\+json/);
  });

  it('still shows "erased" after a blue-green rebuild and after a rebuild into a dropped database', async () => {
    const rebuild = () =>
      rebuildReadModels({
        client: pipeline.client,
        db: pipeline.db,
        projections: readModels,
        logger: pipeline.logger,
      });
    const salesBefore = await salesTotals(pipeline);
    await rebuild();
    expect((await order(pipeline, 'o-ada')).customer.name).toBe('erased');
    await pipeline.db.dropDatabase();
    await rebuild();
    expect((await order(pipeline, 'o-ada')).customer.name).toBe('erased');
    expect((await order(pipeline, 'o-bob')).customer).toEqual(bob);
    expect(await salesTotals(pipeline)).toEqual(salesBefore);
  });

  it('forgets from the admin CLI too', async () => {
    const output: string[] = [];
    const env = {
      ESDB_CONNECTION_STRING: pipeline.esdbConnectionString,
      MONGO_URL: pipeline.mongoUrl,
      PII_KEYS_DATABASE: pipeline.keysDatabase,
    };
    const write = (text: string) => void output.push(text);
    expect(await runAdmin(['customers', 'forget', 'c-bob'], env, { out: write, err: write })).toBe(0);
    expect(output.join('')).toMatch(/customer c-bob forgotten/);
    expect((await order(pipeline, 'o-bob')).customer).toEqual({
      id: 'c-bob',
      name: 'erased',
      email: 'erased',
    });
    expect(await runAdmin(['customers', 'forget', 'c-nobody'], env, { out: write, err: write })).toBe(1);
  });
});
