import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { TEST_API_KEY } from '../support/test-keys';
import {
  detailShows,
  fillPlaceForm,
  launchBrowser,
  openUi,
  requestEntry,
  RESULTS_DIR,
  UI_DIR,
} from './support/browser';

/**
 * A shop clerk's day, each trap of issue 15 walked into and asserted gone: place, pay in two parts, refund, ship,
 * deliver, place the next order, cancel it, correct a typo, reload, follow a link, retry a failed send.
 */
describe('a clerk works through orders without traps', () => {
  let pipeline: Pipeline;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  const notFound: string[] = [];
  let first = '';

  beforeAll(async () => {
    [pipeline, browser] = await Promise.all([
      startPipeline({ staticDir: UI_DIR, maxRetryCount: 3, waitWindowMs: 1000 }),
      launchBrowser(),
    ]);
    ({ page, pageErrors } = await openUi(browser, pipeline.url));
    page.on('response', (response) => {
      if (response.status() === 404 && !response.url().includes('/shop/api/v1/'))
        notFound.push(response.url());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
  });
  afterEach(() => expect(pageErrors).toEqual([]));

  const pay = () => page.locator('#pay-form');
  const refund = () => page.locator('#refund-form');

  it('pays in two parts: the amount follows what is outstanding, and Refund gets the payment just made', async () => {
    first = await fillPlaceForm(page, {
      customerId: 'c-dora',
      customerName: 'Dora',
      lines: [{ sku: 'SKU-D', quantity: '2', unitPrice: '19.97' }],
    });
    await page.getByRole('button', { name: 'Place order' }).click();
    await requestEntry(page, `Place order ${first}`, 'processed').waitFor();
    await detailShows(page, first, 'Placed');
    await expect(pay().getByLabel('Amount').inputValue()).resolves.toBe('39.94');

    await pay().getByLabel('Amount').fill('19.97');
    const paymentId = await pay().getByLabel('Payment id').inputValue();
    // Hold the gateway's answer to see the button busy while it is awaited.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/shop/api/v1', async (route) => {
      await gate;
      await route.continue();
    });
    const button = pay().getByRole('button', { name: 'Pay' });
    await button.click();
    await expect(button.getAttribute('aria-busy')).resolves.toBe('true');
    await expect(button.isDisabled()).resolves.toBe(true);
    await expect(pay().locator('.form-outcome').textContent()).resolves.toContain('sending');
    release();
    await requestEntry(page, `Pay 19.97 EUR for ${first}`, 'processed').waitFor();
    await page.unroute('**/shop/api/v1');
    await expect(button.getAttribute('aria-busy')).resolves.toBeNull();

    // The outcome is next to the button that sent it, not only in the log at the top.
    await pay().locator('.form-outcome[data-status="processed"]').waitFor();
    await expect(pay().locator('.form-outcome').textContent()).resolves.toContain(
      `Pay 19.97 EUR for ${first}`,
    );
    await expect(refund().getByLabel('Payment id').inputValue()).resolves.toBe(paymentId);
    await expect(refund().getByLabel('Amount').inputValue()).resolves.toBe('19.97');
    await expect(pay().getByLabel('Payment id').inputValue()).resolves.not.toBe(paymentId);

    await detailShows(page, first, 'PartiallyPaid');
    await page.waitForFunction(
      () => (document.getElementById('pay-amount') as HTMLInputElement).value === '19.97',
    );
    await button.click();
    await pay().locator('.form-outcome[data-status="processed"]').waitFor();
    await detailShows(page, first, 'Paid');
  });

  it('refunds part of a payment, ships and confirms delivery from the prefilled forms', async () => {
    await refund().getByLabel('Amount').fill('5.00');
    await refund().getByRole('button', { name: 'Refund' }).click();
    await refund().locator('.form-outcome[data-status="processed"]').waitFor();
    await detailShows(page, first, 'PartiallyPaid');
    await page.waitForFunction(
      () => (document.getElementById('pay-amount') as HTMLInputElement).value === '5.00',
    );
    await pay().getByRole('button', { name: 'Pay' }).click();
    await detailShows(page, first, 'Paid');

    const ship = page.locator('#ship-form');
    const shipmentId = await ship.getByLabel('Shipment id').inputValue();
    await ship.getByLabel('Tracking number').fill('TRK-D');
    await ship.getByRole('button', { name: 'Ship' }).click();
    await detailShows(page, first, 'Shipped');
    const deliver = page.locator('#deliver-form');
    await expect(deliver.getByLabel('Shipment id').inputValue()).resolves.toBe(shipmentId);
    await deliver.getByRole('button', { name: 'Confirm delivery' }).click();
    await deliver.locator('.form-outcome[data-status="processed"]').waitFor();
    await detailShows(page, first, 'Delivered');

    // An order's history says why it is in its state.
    const history = page.locator(`#order-history[data-order-id="${first}"] table.history`);
    await page.locator('#order-history tr[data-event-type="ShipmentDelivered"]').waitFor();
    const types = await history
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event-type')));
    expect(types).toEqual([
      'OrderPlaced',
      'PaymentApplied',
      'PaymentRecorded',
      'PaymentApplied',
      'PaymentRecorded',
      'RefundApplied',
      'PaymentRefunded',
      'PaymentApplied',
      'PaymentRecorded',
      'ShipmentRegistered',
      'OrderShipped',
      'ShipmentDelivered',
    ]);
    await mkdir(RESULTS_DIR, { recursive: true });
    await page.locator('.area-detail').screenshot({ path: path.join(RESULTS_DIR, 'order.png') });
  });

  it('starts the next order afresh: an empty place form, no shipment id of the last order', async () => {
    const form = page.locator('#place-form');
    await expect(form.getByLabel('Customer id').inputValue()).resolves.toBe('');
    await expect(form.getByLabel('Customer name').inputValue()).resolves.toBe('');
    await expect(form.locator('#place-lines tr').count()).resolves.toBe(1);
    await expect(form.getByLabel('SKU, line 1', { exact: true }).inputValue()).resolves.toBe('');
    // One more click places nothing: the empty form is refused in the page.
    const sent = await page.locator('#request-log li').count();
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect(page.locator('#request-log li').count()).resolves.toBe(sent);

    const second = await fillPlaceForm(page, {
      customerId: 'c-eve',
      customerName: 'Eve',
      lines: [{ sku: 'SKU-E', quantity: '1', unitPrice: '3.00' }],
    });
    await page.getByRole('button', { name: 'Place order' }).click();
    await detailShows(page, second, 'Placed');
    await expect(page.locator('#deliver-form').getByLabel('Shipment id').inputValue()).resolves.toBe('');
    await expect(refund().getByLabel('Payment id').inputValue()).resolves.toBe('');
  });

  it('leaves Pay, Ship and Cancel off and empty for a cancelled order', async () => {
    const orderId = await page.locator('#order-detail').getAttribute('data-order-id');
    const cancel = page.locator('#cancel-form');
    await cancel.getByRole('button', { name: 'Cancel order' }).click();
    await detailShows(page, orderId!, 'Cancelled');
    for (const formId of ['pay-form', 'ship-form', 'cancel-form']) {
      const form = page.locator(`#${formId}`);
      await expect(form.getByLabel('Order id').isDisabled()).resolves.toBe(true);
      await expect(form.locator('button[type="submit"]').isDisabled()).resolves.toBe(true);
      await expect(form.getByLabel('Order id').inputValue()).resolves.toBe('');
      await expect(form.locator('.form-note').textContent()).resolves.toContain(
        `Order ${orderId} is cancelled`,
      );
    }
    await expect(pay().getByLabel('Amount').inputValue()).resolves.toBe('');
    // Opening an order that is not cancelled turns them on again, filled for it.
    await page.locator('#open-order-form').getByLabel('Order id').fill(first);
    await page.locator('#open-order-form').getByRole('button', { name: 'Open' }).click();
    await detailShows(page, first, 'Delivered');
    await expect(pay().getByRole('button', { name: 'Pay' }).isDisabled()).resolves.toBe(false);
    await expect(pay().getByLabel('Order id').inputValue()).resolves.toBe(first);
  });

  it('takes an error away as soon as the field is corrected', async () => {
    const form = page.locator('#place-form');
    await page.getByRole('button', { name: 'Place order' }).click();
    const customerId = form.getByLabel('Customer id');
    await expect(customerId.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#customer-id-error').textContent()).resolves.toBe('Customer id is required.');
    await customerId.fill('c fix');
    await expect(page.locator('#customer-id-error').textContent()).resolves.toMatch(/may hold only letters/);
    await customerId.fill('c-fix');
    await page.locator('#customer-id-error').waitFor({ state: 'detached' });
    await expect(customerId.getAttribute('aria-invalid')).resolves.toBeNull();
  });

  it('gives an order a URL of its own and keeps the requests log across a reload', async () => {
    await page.locator(`#orders-rows tr[data-order-id="${first}"] button`).click();
    await page.waitForURL(`**/#/orders/${first}`);
    const before = await page
      .locator('#request-log li')
      .evaluateAll((items) =>
        items.map(
          (item) =>
            `${item.querySelector('.request-label')?.textContent}|${item.getAttribute('data-status')}`,
        ),
      );
    expect(before.length).toBeGreaterThan(5);
    await page.reload();
    await detailShows(page, first, 'Delivered');
    const after = await page
      .locator('#request-log li')
      .evaluateAll((items) =>
        items.map(
          (item) =>
            `${item.querySelector('.request-label')?.textContent}|${item.getAttribute('data-status')}`,
        ),
      );
    expect(after).toEqual(before);
    await expect(
      page.locator('#request-log li').first().locator('li[data-step="projected"]').getAttribute('data-state'),
    ).resolves.toBe('done');

    // A link opened in another tab shows the same order, once the clerk gives that tab the key (kept per tab).
    const other = await browser.newPage();
    await other.goto(`${pipeline.url}/#/orders/${first}`);
    await other.getByLabel('API key').fill(TEST_API_KEY);
    await other.getByRole('button', { name: 'Use key' }).click();
    await other.locator(`#order-detail[data-order-id="${first}"][data-order-status="Delivered"]`).waitFor();
    await other.close();
  });

  it('offers a retry for a send the gateway did not store, and the retry goes through', async () => {
    const third = await fillPlaceForm(page, {
      customerId: 'c-fay',
      customerName: 'Fay',
      lines: [{ sku: 'SKU-F', quantity: '1', unitPrice: '1.00' }],
    });
    await page.route('**/shop/api/v1', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 503,
          detail: 'The event store is unreachable: the data was NOT stored.',
        }),
      }),
    );
    await page.getByRole('button', { name: 'Place order' }).click();
    const failed = requestEntry(page, `Place order ${third}`, 'failed');
    await failed.waitFor();
    await expect(page.locator('#place-form .form-outcome').textContent()).resolves.toContain('NOT stored');
    // Nothing was stored, so the form keeps what was typed.
    await expect(page.locator('#place-form').getByLabel('Customer name').inputValue()).resolves.toBe('Fay');
    await page.unroute('**/shop/api/v1');
    await failed.getByRole('button', { name: `Retry: Place order ${third}` }).click();
    await requestEntry(page, `Place order ${third}`, 'processed').waitFor();
    await expect(page.locator('#request-log li', { hasText: `Place order ${third}` }).count()).resolves.toBe(
      1,
    );
  });

  it('charts refunds, labels today and draws a long range per month', async () => {
    const euro = page.locator('#sales-report section[aria-label="Sales in EUR"]');
    await euro.locator('.totals', { hasText: 'refunded 5.00 EUR' }).waitFor();
    const today = new Date().toISOString().slice(0, 10);
    const axis = await euro.locator('svg text.axis').evaluateAll((texts) => texts.map((t) => t.textContent));
    expect(axis[axis.length - 1]).toBe(today.slice(5));
    const todayBar = euro.locator('g.day', { has: page.locator('title', { hasText: today }) });
    await expect(todayBar.locator('title').textContent()).resolves.toContain('5.00 EUR refunded');
    expect(Number(await todayBar.locator('rect.bar-refunded').getAttribute('height'))).toBeGreaterThan(0);

    const sales = page.locator('#sales-form');
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    await sales.getByLabel('From').fill(yearAgo);
    await sales.getByRole('button', { name: 'Show' }).click();
    await euro.locator('figure[data-grain="month"]').waitFor();
    const bars = await euro.locator('g.day').count();
    expect(bars).toBeGreaterThanOrEqual(12);
    expect(bars).toBeLessThanOrEqual(13);
    expect(Number(await euro.locator('rect.bar-placed').first().getAttribute('width'))).toBeGreaterThan(5);
    await expect(euro.locator('svg title').first().textContent()).resolves.toBe(
      'Revenue per month in EUR, placed, paid and refunded',
    );
  });

  it('loaded its icon and every page file without a 404', async () => {
    const icon = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
      const reply = link ? await fetch(link.href) : undefined;
      return reply ? `${reply.status} ${reply.headers.get('content-type')}` : 'no icon';
    });
    expect(icon).toMatch(/^200 image\/svg\+xml/);
    expect(notFound).toEqual([]);
  });
});
