import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { fillPlaceForm, launchBrowser, openUi, requestEntry, RESULTS_DIR, UI_DIR } from './support/browser';

/** Every state the newest request's steps showed, in order, as "stored:done decided:pending projected:pending". */
async function recordSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { stepsSeen: string[] }).stepsSeen = seen;
    const log = document.getElementById('request-log')!;
    const note = () => {
      const steps = log.firstElementChild?.querySelectorAll('.request-steps li') ?? [];
      const state = [...steps]
        .map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-state')}`)
        .join(' ');
      if (state && seen[seen.length - 1] !== state) seen.push(state);
    };
    new MutationObserver(note).observe(log, { childList: true, subtree: true, attributes: true });
  });
}

/** A figure of the pipeline view; "none yet" (a read model with no checkpoint) counts as -1. */
async function metric(page: Page, name: string): Promise<number> {
  const value = Number(await page.locator(`#pipeline-diagram [data-metric="${name}"]`).textContent());
  return Number.isNaN(value) ? -1 : value;
}

describe('the pipeline, visible in the page', () => {
  let pipeline: Pipeline;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    [pipeline, browser] = await Promise.all([startPipeline({ staticDir: UI_DIR }), launchBrowser()]);
    ({ page, pageErrors } = await openUi(browser, pipeline.url));
  });
  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
  });
  afterEach(() => expect(pageErrors).toEqual([]));

  it("shows a request's three steps filling in, then the pipeline view's counters moving", async () => {
    await page.getByRole('link', { name: 'Pipeline' }).click();
    await page.locator('#pipeline-diagram[data-measured-at]').waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('pipeline-title');
    await expect(page.getByRole('link', { name: 'Pipeline' }).getAttribute('aria-current')).resolves.toBe(
      'page',
    );
    const before = {
      input: await metric(page, 'input-length'),
      orders: await metric(page, 'orders-checkpoint'),
    };

    await page.getByRole('link', { name: 'Orders' }).click();
    await recordSteps(page);
    const orderId = await fillPlaceForm(page, {
      customerId: 'c-gus',
      customerName: 'Gus',
      lines: [{ sku: 'SKU-G', quantity: '4', unitPrice: '2.50' }],
    });
    await page.getByRole('button', { name: 'Place order' }).click();
    const entry = requestEntry(page, `Place order ${orderId}`, 'processed');
    await entry.locator('li[data-step="projected"][data-state="done"]').waitFor();

    const seen = await page.evaluate(() => (window as unknown as { stepsSeen: string[] }).stepsSeen);
    // Stored first (the gateway's 202), the decision and the projection after it; no step ever goes back.
    expect(seen[0]).toBe('stored:done decided:pending projected:pending');
    expect(seen[seen.length - 1]).toBe('stored:done decided:done projected:done');
    const rank: Record<string, number> = { pending: 0, done: 1 };
    for (const [index, state] of seen.entries()) {
      if (index === 0) continue;
      const previous = seen[index - 1]!.split(' ').map((s) => rank[s.split(':')[1]!] ?? 0);
      const current = state.split(' ').map((s) => rank[s.split(':')[1]!] ?? 0);
      expect(current.every((value, i) => value >= previous[i]!)).toBe(true);
    }
    await expect(entry.locator('li[data-step="stored"]').textContent()).resolves.toMatch(
      /shop-input\S* #\d+/,
    );
    await expect(entry.locator('li[data-step="decided"]').textContent()).resolves.toMatch(
      new RegExp(`by \\S+:\\d+#\\d+ · 1 event: OrderPlaced → order-${orderId}@0`),
    );
    await expect(entry.locator('li[data-step="projected"]').textContent()).resolves.toMatch(
      /orders ✓, sales_daily ✓ · seen \d\d:\d\d:\d\d\.\d{3}/,
    );

    for (const n of [1, 2]) {
      await fillPlaceForm(page, {
        customerId: `c-more-${n}`,
        customerName: 'More',
        lines: [{ sku: 'SKU-M', quantity: '1', unitPrice: '1.00' }],
      });
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.locator('#place-form .form-outcome[data-status="processed"]').waitFor();
    }

    await page.getByRole('link', { name: 'Pipeline' }).click();
    await page.waitForURL('**/#/pipeline');
    await page.waitForFunction(
      ([input, orders]) => {
        const value = (name: string) => {
          const n = Number(document.querySelector(`#pipeline-diagram [data-metric="${name}"]`)?.textContent);
          return Number.isNaN(n) ? -1 : n;
        };
        return (
          value('input-length') >= input + 3 &&
          value('orders-checkpoint') > orders &&
          value('orders-lag-events') === 0
        );
      },
      [before.input, before.orders] as const,
    );
    expect(await metric(page, 'processed-total')).toBeGreaterThanOrEqual(3);
    expect(await metric(page, 'parked')).toBe(0);
    await expect(page.locator('#pipeline-diagram tr[data-read-model]').count()).resolves.toBe(3);
    await expect(page.locator('#pipeline-diagram tr[data-consumer]').count()).resolves.toBe(1);
    await mkdir(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'pipeline.png'), fullPage: true });

    // Back to the orders view by the browser's own back button.
    await page.goBack();
    await page.locator('#orders-view:not([hidden])').waitFor();
  });
});
