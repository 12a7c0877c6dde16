import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TEST_API_KEY } from '../../support/test-keys';

/** Debian's Chromium, driven headless by playwright-core; nothing is downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const UI_DIR = path.join(__dirname, '..', '..', '..', 'shop-api', 'ui');
export const RESULTS_DIR = path.join(__dirname, '..', '..', '..', 'test-results');
/** How long the page may take to show something that travels the whole pipeline. */
export const PIPELINE_WAIT_MS = 15_000;

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Opens the UI and records what goes wrong inside the page (uncaught errors, console errors), so a test can
 * insist the page ran cleanly. Failed API calls the test provokes (404 while polling) are not console errors
 * of the page's code and are left out.
 */
export async function openUi(
  browser: Browser,
  baseUrl: string,
  /** Given as `npm start` prints it, `/#key=<key>`; none when null. */
  key: string | null = TEST_API_KEY,
): Promise<{ page: Page; pageErrors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.setDefaultTimeout(PIPELINE_WAIT_MS);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageErrors.push(message.text());
    }
  });
  await page.goto(baseUrl + (key === null ? '/' : `/#key=${key}`));
  await page.locator('#place-order-id').waitFor();
  return { page, pageErrors };
}

export interface OrderInput {
  readonly customerId: string;
  readonly customerName: string;
  readonly email?: string;
  readonly currency?: string;
  readonly lines: readonly { sku: string; quantity: string; unitPrice: string }[];
}

/** Fills the "Place an order" form as a user would; answers the order id the page chose. */
export async function fillPlaceForm(page: Page, order: OrderInput): Promise<string> {
  const form = page.locator('#place-form');
  await form.getByLabel('Customer id').fill(order.customerId);
  await form.getByLabel('Customer name').fill(order.customerName);
  if (order.email) await form.getByLabel('Email').fill(order.email);
  if (order.currency) await form.getByLabel('Currency', { exact: true }).fill(order.currency);
  // The form keeps the last order's lines for the next one; start from a single line.
  for (let rows = await form.locator('#place-lines tr').count(); rows > 1; rows--) {
    await form.getByRole('button', { name: `Remove line ${rows}` }).click();
  }
  for (const [index, line] of order.lines.entries()) {
    if (index > 0) await form.getByRole('button', { name: 'Add line' }).click();
    const n = index + 1;
    await form.getByLabel(`SKU, line ${n}`, { exact: true }).fill(line.sku);
    await form.getByLabel(`Quantity, line ${n}`, { exact: true }).fill(line.quantity);
    await form.getByLabel(`Unit price, line ${n}`, { exact: true }).fill(line.unitPrice);
  }
  await form.getByLabel('Street and number').fill('1 Main St');
  await form.getByLabel('City').fill('Berlin');
  await form.getByLabel('Postcode').fill('10115');
  return form.getByLabel('Order id').inputValue();
}

/** The request log's entry whose label contains `label`, once it shows `status`. */
export function requestEntry(page: Page, label: string, status: string) {
  return page.locator(`#request-log li[data-status="${status}"]`, { hasText: label });
}

/** Waits until the order detail shows the order in `status`. */
export async function detailShows(page: Page, orderId: string, status: string): Promise<void> {
  await page.locator(`#order-detail[data-order-id="${orderId}"][data-order-status="${status}"]`).waitFor();
}
