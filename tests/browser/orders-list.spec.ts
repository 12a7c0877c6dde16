import type { Browser, Page } from 'playwright-core';
import { http, postJson } from '../support/http-client';
import { eventually } from '../../lib/eventually';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { launchBrowser, openUi, UI_DIR } from './support/browser';

const API = '/shop/api/v1';
const CUSTOMER = 'c-list';
const ORDERS = ['o-list-1', 'o-list-2', 'o-list-3', 'o-list-4', 'o-list-5'];
const PAID = ['o-list-2', 'o-list-4'];

function send(pipeline: Pipeline, applies: string, payload: Record<string, unknown>) {
  return postJson(pipeline.url, API, { applies, source: 'browser-test', profile: 'web/v1', ...payload });
}

async function listIds(pipeline: Pipeline, query: string): Promise<string[]> {
  const reply = await http(pipeline.url, `${API}/orders?${query}`);
  return (reply.body as { items: { id: string }[] }).items.map((order) => order.id);
}

describe('the orders list in the web UI', () => {
  let pipeline: Pipeline;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  /** The customer's orders newest first, as the API lists them. */
  let newestFirst: string[];

  beforeAll(async () => {
    [pipeline, browser] = await Promise.all([startPipeline({ staticDir: UI_DIR }), launchBrowser()]);
    for (const orderId of ORDERS) {
      await send(pipeline, 'Order', {
        action: 'place',
        orderId,
        customer: { id: CUSTOMER, name: 'Lister' },
        lines: [{ sku: 'SKU-L', quantity: 1, unitPrice: '3.00' }],
        currency: 'EUR',
      });
    }
    for (const orderId of PAID) {
      await send(pipeline, 'Payment', {
        action: 'pay',
        paymentId: `p-${orderId}`,
        orderId,
        amount: '3.00',
        currency: 'EUR',
        method: 'card',
      });
    }
    newestFirst = await eventually(async () => {
      const [all, paid] = await Promise.all([
        listIds(pipeline, `customerId=${CUSTOMER}&limit=10`),
        listIds(pipeline, `customerId=${CUSTOMER}&status=Paid`),
      ]);
      return all.length === ORDERS.length && paid.length === PAID.length ? all : undefined;
    });
    ({ page, pageErrors } = await openUi(browser, pipeline.url));
  });
  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
  });
  afterEach(() => expect(pageErrors).toEqual([]));

  const filter = () => page.locator('#orders-filter');
  const shownIds = () =>
    page
      .locator('#orders-rows tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-order-id')));
  const older = () => page.getByRole('button', { name: 'Older →' });
  const newer = () => page.getByRole('button', { name: '← Newer' });

  async function showsPage(ids: string[], pageNumber: number) {
    await page.waitForFunction(
      ({ expected, label }) =>
        document.getElementById('orders-page')?.textContent === label &&
        JSON.stringify(
          [...document.querySelectorAll('#orders-rows tr')].map((row) => row.getAttribute('data-order-id')),
        ) === JSON.stringify(expected),
      { expected: ids, label: `Page ${pageNumber}` },
    );
  }

  it("pages through one customer's orders, newest first", async () => {
    await filter().getByLabel('Customer id').fill(CUSTOMER);
    await filter().getByLabel('Per page').fill('2');
    await filter().getByRole('button', { name: 'Show' }).click();
    await showsPage(newestFirst.slice(0, 2), 1);
    expect(await newer().isDisabled()).toBe(true);

    await older().click();
    await showsPage(newestFirst.slice(2, 4), 2);
    await older().click();
    await showsPage(newestFirst.slice(4), 3);
    expect(await older().isDisabled()).toBe(true);

    await newer().click();
    await showsPage(newestFirst.slice(2, 4), 2);
  });

  it('filters by status', async () => {
    await filter().getByLabel('Status').selectOption('Paid');
    await showsPage(
      newestFirst.filter((id) => PAID.includes(id)),
      1,
    );
    expect(await older().isDisabled()).toBe(true);
    await expect(page.locator('#orders-rows').textContent()).resolves.not.toContain('Placed');

    await filter().getByLabel('Status').selectOption('Delivered');
    await showsPage([], 1);
    await expect(page.locator('#orders-message').textContent()).resolves.toBe('No orders match.');
  });

  it('opens an order from the list', async () => {
    await filter().getByLabel('Status').selectOption('Placed');
    const first = newestFirst.find((id) => !PAID.includes(id))!;
    await page.locator('#orders-rows').getByRole('button', { name: first }).click();
    await page.locator(`#order-detail[data-order-id="${first}"][data-order-status="Placed"]`).waitFor();
    await expect(page.locator('#pay-form').getByLabel('Order id').inputValue()).resolves.toBe(first);
    expect(await shownIds()).not.toContain(PAID[0]);
  });

  it("shows the API's problem in words when a filter is refused", async () => {
    await filter().getByLabel('Customer id').fill('c'.repeat(201));
    await filter().getByRole('button', { name: 'Show' }).click();
    await page.locator('#orders-message.error').waitFor();
    await expect(page.locator('#orders-message').textContent()).resolves.toBe(
      'customerId must be at most 200 characters.',
    );
  });
});
