import type { Browser } from 'playwright-core';
import { http, postJson } from '../support/http-client';
import { eventually } from '../../lib/eventually';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { TEST_API_KEY, TEST_KEYS } from '../support/test-keys';
import { launchBrowser, openUi, UI_DIR } from './support/browser';

const API = '/shop/api/v1';

describe('the web UI and its API key', () => {
  let pipeline: Pipeline;
  let browser: Browser;

  beforeAll(async () => {
    [pipeline, browser] = await Promise.all([startPipeline({ staticDir: UI_DIR }), launchBrowser()]);
    await postJson(pipeline.url, API, {
      applies: 'Order',
      source: 'browser-test',
      profile: 'web/v1',
      action: 'place',
      orderId: 'o-key-1',
      customer: { id: 'c-key', name: 'Grace Hopper', email: 'grace@example.com' },
      lines: [{ sku: 'SKU-K', quantity: 1, unitPrice: '4.00' }],
      currency: 'EUR',
    });
    await eventually(async () =>
      (await http(pipeline.url, `${API}/orders/o-key-1`)).status === 200 ? true : undefined,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
  });

  it('takes the key from the link npm start prints and drops it from the address bar', async () => {
    const { page, pageErrors } = await openUi(browser, pipeline.url, TEST_API_KEY);
    expect(page.url()).toBe(`${pipeline.url}/`);
    await page.locator('#orders-rows tr[data-order-id="o-key-1"]', { hasText: 'Grace Hopper' }).waitFor();
    expect(await page.locator('#key-form').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('asks for a key when it has none, and shows masked names for a key without shop:pii', async () => {
    const { page } = await openUi(browser, pipeline.url, null);
    await page.locator('#key-form').waitFor({ state: 'visible' });
    await page.locator('#orders-message', { hasText: 'API key' }).waitFor();
    await page.getByLabel('API key').fill(TEST_KEYS.read);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.locator('#orders-rows tr[data-order-id="o-key-1"]', { hasText: 'G*** H***' }).waitFor();
    expect(await page.locator('#key-form').isHidden()).toBe(true);
    expect(await page.content()).not.toContain('Hopper');
    await page.close();
  });
});
