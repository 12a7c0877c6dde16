import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startPipeline, type Pipeline } from '../support/pipeline';
import {
  detailShows,
  fillPlaceForm,
  launchBrowser,
  openUi,
  requestEntry,
  RESULTS_DIR,
  UI_DIR,
} from './support/browser';

/** Few retries, so a request whose precondition never comes true is parked within a second. */
const MAX_RETRIES = 3;

describe('the web UI sends an order through the three steps', () => {
  let pipeline: Pipeline;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    [pipeline, browser] = await Promise.all([
      startPipeline({ staticDir: UI_DIR, maxRetryCount: MAX_RETRIES, waitWindowMs: 1000 }),
      launchBrowser(),
    ]);
    ({ page, pageErrors } = await openUi(browser, pipeline.url));
  });
  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
  });
  afterEach(() => expect(pageErrors).toEqual([]));

  it('places, pays, ships and delivers an order, each step seen in the page without reloading', async () => {
    const orderId = await fillPlaceForm(page, {
      customerId: 'c-ada',
      customerName: 'Ada Lovelace',
      email: 'ada@example.com',
      lines: [
        { sku: 'SKU-1', quantity: '2', unitPrice: '12.50' },
        { sku: 'SKU-2', quantity: '1', unitPrice: '5.00' },
      ],
    });
    expect(orderId).toMatch(/^o-[a-z0-9]{8}$/);
    await expect(page.locator('#place-total').textContent()).resolves.toBe('30.00 EUR');
    await page.getByRole('button', { name: 'Place order' }).click();

    await requestEntry(page, `Place order ${orderId}`, 'processed').waitFor();
    await detailShows(page, orderId, 'Placed');
    const detail = page.locator('#order-detail');
    await expect(detail.getByRole('row', { name: /SKU-1/ }).textContent()).resolves.toMatch(
      /12\.50 EUR.*25\.00 EUR/,
    );
    await expect(detail.getByRole('row', { name: /Outstanding/ }).textContent()).resolves.toContain(
      '30.00 EUR',
    );

    const pay = page.locator('#pay-form');
    await expect(pay.getByLabel('Order id').inputValue()).resolves.toBe(orderId);
    await expect(pay.getByLabel('Amount').inputValue()).resolves.toBe('30.00');
    await pay.getByRole('button', { name: 'Pay' }).click();
    await requestEntry(page, `Pay 30.00 EUR for ${orderId}`, 'processed').waitFor();
    await detailShows(page, orderId, 'Paid');
    await expect(detail.getByRole('row', { name: /Outstanding/ }).textContent()).resolves.toContain(
      '0.00 EUR',
    );

    const ship = page.locator('#ship-form');
    await expect(ship.getByLabel('Order id').inputValue()).resolves.toBe(orderId);
    await ship.getByLabel('Tracking number').fill('TRK-42');
    await ship.getByRole('button', { name: 'Ship' }).click();
    await requestEntry(page, `Ship ${orderId}`, 'processed').waitFor();
    await detailShows(page, orderId, 'Shipped');
    await expect(detail.textContent()).resolves.toContain('tracking TRK-42');

    await page.locator('#deliver-form').getByRole('button', { name: 'Confirm delivery' }).click();
    await requestEntry(page, 'Confirm delivery', 'processed').waitFor();
    await detailShows(page, orderId, 'Delivered');
    await expect(page.locator('#order-detail .detail-status').textContent()).resolves.toBe(
      `Order ${orderId} is delivered.`,
    );
    // The list refreshes by itself once the pipeline reports back.
    await page.locator(`#orders-rows tr[data-order-id="${orderId}"]`, { hasText: 'Delivered' }).waitFor();

    await mkdir(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'main-page.png'), fullPage: true });
  });

  it('shows why the pipeline rejected a request', async () => {
    const orderId = await fillPlaceForm(page, {
      customerId: 'c-bob',
      customerName: 'Bob',
      lines: [{ sku: 'SKU-3', quantity: '1', unitPrice: '10.00' }],
    });
    await page.getByRole('button', { name: 'Place order' }).click();
    await detailShows(page, orderId, 'Placed');

    const pay = page.locator('#pay-form');
    await pay.getByLabel('Amount').fill('25.00');
    await pay.getByRole('button', { name: 'Pay' }).click();
    const rejected = requestEntry(page, `Pay 25.00 EUR for ${orderId}`, 'rejected');
    await rejected.waitFor();
    await expect(rejected.textContent()).resolves.toMatch(/exceeds the outstanding 10\.00 EUR/);
    await expect(page.locator('#order-detail').getAttribute('data-order-status')).resolves.toBe('Placed');
  });

  it('shows a request that waited in vain for its precondition as parked', async () => {
    const orderId = await page.locator('#ship-form').getByLabel('Order id').inputValue();
    const ship = page.locator('#ship-form');
    await ship.getByLabel('Tracking number').fill('TRK-EARLY');
    await ship.getByRole('button', { name: 'Ship' }).click();
    // Shipping an unpaid order may become possible later, so it is retried with backoff and then parked.
    const parked = requestEntry(page, `Ship ${orderId}`, 'parked');
    await parked.waitFor();
    // Why, and how often it was tried: what the processor recorded when it parked it.
    await expect(parked.textContent()).resolves.toMatch(
      /Parked for an operator to replay: still waiting after \d+ s: .+ \(tried \d+ times, first at .+, last at .+\)\./,
    );
  });

  it('says in words when the gateway did not store a request', async () => {
    // Fault injection: the gateway's answer when the event store is unreachable, without waiting for a real outage.
    await page.route('**/shop/api/v1', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'https://shop-pipeline.dev/problems/store-unavailable',
          title: 'Service Unavailable',
          status: 503,
          detail: 'The event store is unreachable: the data was NOT stored. Retry later.',
        }),
      }),
    );
    try {
      const deliver = page.locator('#deliver-form');
      await deliver.getByLabel('Shipment id').fill('s-never');
      await deliver.getByRole('button', { name: 'Confirm delivery' }).click();
      const failed = requestEntry(page, 'Confirm delivery of s-never', 'failed');
      await failed.waitFor();
      await expect(failed.textContent()).resolves.toContain('the data was NOT stored. Retry later.');
    } finally {
      await page.unroute('**/shop/api/v1');
    }
  });

  it('cancels an order and shows it cancelled with the reason', async () => {
    const orderId = await fillPlaceForm(page, {
      customerId: 'c-cy',
      customerName: 'Cy',
      lines: [{ sku: 'SKU-4', quantity: '3', unitPrice: '1.00' }],
    });
    await page.getByRole('button', { name: 'Place order' }).click();
    await detailShows(page, orderId, 'Placed');
    const cancel = page.locator('#cancel-form');
    await expect(cancel.getByLabel('Order id').inputValue()).resolves.toBe(orderId);
    await cancel.getByLabel('Reason').fill('changed my mind');
    await cancel.getByRole('button', { name: 'Cancel order' }).click();
    await requestEntry(page, `Cancel order ${orderId}`, 'processed').waitFor();
    await detailShows(page, orderId, 'Cancelled');
    await expect(page.locator('#order-detail .cancelled').textContent()).resolves.toContain(
      'changed my mind',
    );
  });

  it('gives every control an accessible name', async () => {
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((control) => {
          const labelled = control instanceof HTMLButtonElement ? control.textContent?.trim() : undefined;
          const labels = 'labels' in control ? (control.labels as NodeListOf<HTMLLabelElement> | null) : null;
          return !labelled && !control.getAttribute('aria-label') && (labels?.length ?? 0) === 0;
        })
        .map((control) => control.outerHTML),
    );
    expect(unnamed).toEqual([]);
  });

  it('catches obvious mistakes in the page and sends nothing', async () => {
    const sentBefore = await page.locator('#request-log li').count();
    const form = page.locator('#place-form');
    await form.getByLabel('Customer id').fill('c-typo');
    await form.getByLabel('Quantity, line 1', { exact: true }).fill('0');
    await form.getByLabel('Customer name').fill('');
    await page.getByRole('button', { name: 'Place order' }).click();

    const quantity = form.getByLabel('Quantity, line 1', { exact: true });
    await expect(quantity.getAttribute('aria-invalid')).resolves.toBe('true');
    const errorId = await quantity.getAttribute('aria-describedby');
    await expect(page.locator(`#${errorId}`).textContent()).resolves.toBe(
      'Quantity of line 1 must be a whole number of at least 1.',
    );
    await expect(page.locator('#customer-name-error').textContent()).resolves.toBe(
      'Customer name is required.',
    );
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('customer-name');
    expect(await page.locator('#request-log li').count()).toBe(sentBefore);
  });

  it("draws the daily sales and shows the server's own words for a bad filter", async () => {
    const euro = page.locator('#sales-report section[aria-label="Sales in EUR"]');
    await euro.waitFor();
    await expect(euro.locator('.totals').textContent()).resolves.toMatch(
      /3 orders placed, 1 cancelled.*placed 43\.00 EUR.*paid 30\.00 EUR/,
    );
    const today = new Date().toISOString().slice(0, 10);
    await expect(euro.locator('svg[role="img"] title').first().textContent()).resolves.toBe(
      'Revenue per day in EUR, placed, paid and refunded',
    );
    await expect(euro.locator('g.day title', { hasText: today }).textContent()).resolves.toContain(
      '43.00 EUR placed',
    );
    expect(await euro.locator('g.day').count()).toBe(14);

    const sales = page.locator('#sales-form');
    await sales.getByLabel('Currency').fill('abc');
    await sales.getByRole('button', { name: 'Show' }).click();
    await page.locator('#sales-message.error').waitFor();
    await expect(page.locator('#sales-message').textContent()).resolves.toBe(
      'currency must be a known ISO 4217 currency code.',
    );
  });
});
