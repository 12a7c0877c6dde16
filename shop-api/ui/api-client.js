// @ts-check
/* global fetch */
import { apiKey, reportUnauthorized } from './api-key.js';

/** The shop API as the page uses it: every call answers a value, never throws. */

export const API = '/shop/api/v1';
export const SOURCE = 'web-ui';
export const PROFILE = 'web/v1';

/**
 * @typedef {{ field?: string, parameter?: string, message?: string }} ProblemError
 * @typedef {{ type?: string, title?: string, status?: number, detail?: string, errors?: ProblemError[] }} Problem
 * @typedef {{ id: string, name: string, email?: string }} Customer
 * @typedef {{ sku: string, quantity: number, unitPrice: string }} OrderLine
 * @typedef {{ paymentId: string, amount: string, refunded: string, method: string, recordedAt: string }} Payment
 * @typedef {{ paymentId: string, amount: string, reason: string, refundedAt: string }} Refund
 * @typedef {{ shipmentId: string, carrier: string, trackingNumber: string, shippedAt: string, deliveredAt?: string }} Shipment
 * @typedef {'Placed' | 'PartiallyPaid' | 'Paid' | 'Shipped' | 'Delivered' | 'Cancelled'} OrderStatus
 * @typedef {{
 *   id: string, status: OrderStatus, customer: Customer, lines: OrderLine[], currency: string,
 *   total: string, paid: string, refunded: string, outstanding: string, payments: Payment[], refunds: Refund[],
 *   shipment: Shipment | null, placedAt: string, updatedAt: string, cancelledAt?: string, cancelReason?: string
 * }} Order
 * @typedef {{ items: Order[], nextCursor: string | null }} OrderPage
 * @typedef {'accepted' | 'waiting' | 'processed' | 'rejected' | 'parked'} RequestStatus
 * @typedef {{ reason?: string, retryCount: number, firstAttemptAt: string, lastAttemptAt: string }} ParkedAttempts
 * @typedef {{
 *   requestId: string, status: RequestStatus, reason?: string, resultIds?: string[], parked?: ParkedAttempts
 * }} RequestState
 * @typedef {{
 *   day: string, currency: string, ordersPlaced: number, ordersCancelled: number, revenuePlaced: string,
 *   revenuePaid: string, revenueRefunded: string, unitsBySku: Record<string, number>
 * }} SalesDay
 * @typedef {{
 *   currency: string, ordersPlaced: number, ordersCancelled: number, revenuePlaced: string, revenuePaid: string,
 *   revenueRefunded: string
 * }} SalesTotal
 * @typedef {{ days: SalesDay[], totals: SalesTotal[] }} SalesReport
 * @typedef {{ stream: string, revision: number, type: string, at: string, position: number | null }} TraceEvent
 * @typedef {{
 *   outcome: 'processed' | 'rejected' | 'waiting' | 'parked', at: string, by: string | null, reason?: string,
 *   events: TraceEvent[] | null, history: { type: string, at: string, reason?: string }[]
 * }} TraceDecision
 * @typedef {{ name: string, reflected: boolean, upTo: number, checkpoint: number | null }} TraceReadModel
 * @typedef {{
 *   requestId: string, status: RequestStatus, reason?: string,
 *   stored: { at: string | null, stream: string, revision: number | null },
 *   decided: TraceDecision | null,
 *   projected: { done: boolean, readModels: TraceReadModel[], checkedAt: string } | null,
 *   parked?: ParkedAttempts, complete: boolean, version: string
 * }} RequestTrace
 * @typedef {{ name: string, from: string, inFlight: number, totalItems: number, perSecond: number | null }} ConsumerStatus
 * @typedef {{
 *   at: string,
 *   ingest: { stream: string, lastRevision: number | null, perSecond: number | null },
 *   processing: {
 *     group: string, status: string, totalItems: number, perSecond: number | null, inFlight: number,
 *     parked: number, retryBuffer: number, lastKnownRevision: number | null,
 *     lastCheckpointedRevision: number | null, lagEvents: number, sinceCheckpoint: number,
 *     consumers: ConsumerStatus[]
 *   } | null,
 *   readModels: { name: string, checkpoint: number | null, checkpointAt: string | null, lagEvents: number, lagSeconds: number }[]
 * }} PipelineStatus
 * @typedef {{ stream: string, revision: number, type: string, at: string, position: number | null, requestId: string | null }} HistoryEvent
 * @typedef {{ orderId: string, events: HistoryEvent[] }} OrderHistory
 */

/**
 * @template T
 * @typedef {{ ok: true, value: T } | { ok: false, status: number, message: string }} Reply
 */

export const ORDER_STATUSES = /** @type {const} */ ([
  'Placed',
  'PartiallyPaid',
  'Paid',
  'Shipped',
  'Delivered',
  'Cancelled',
]);

/**
 * A problem+json body (or anything else a failed call returned) in words for people.
 * @param {number} status
 * @param {unknown} body
 * @returns {string}
 */
export function problemInWords(status, body) {
  const problem = /** @type {Problem} */ (typeof body === 'object' && body !== null ? body : {});
  const detail = problem.detail ?? problem.title ?? `The server answered ${status}.`;
  const fields = (problem.errors ?? [])
    .map((error) => `${error.field ?? error.parameter ?? ''} ${error.message ?? ''}`.trim())
    .filter((text) => text !== '' && !detail.includes(text));
  return fields.length === 0 ? detail : `${detail} (${fields.join('; ')})`;
}

/**
 * @param {Response} response
 * @returns {Promise<unknown>}
 */
async function bodyOf(response) {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    /** @type {unknown} */
    const parsed = JSON.parse(text);
    return parsed;
  } catch {
    return text;
  }
}

/**
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<{ ok: true, status: number, body: unknown } | { ok: false, status: number, message: string }>}
 */
async function call(path, init) {
  let response;
  try {
    const key = apiKey();
    response = await fetch(API + path, {
      ...init,
      headers: {
        accept: 'application/json',
        ...(key === '' ? {} : { authorization: `Bearer ${key}` }),
        ...init?.headers,
      },
    });
  } catch {
    return {
      ok: false,
      status: 0,
      message: 'The shop API cannot be reached. Check the connection and retry.',
    };
  }
  const body = await bodyOf(response).catch(() => undefined);
  if (response.status === 401) {
    reportUnauthorized();
    return {
      ok: false,
      status: 401,
      message: 'The API key is missing or not valid: enter it at the top of the page.',
    };
  }
  return { ok: true, status: response.status, body };
}

/**
 * Sends shop data to the gateway with the web UI's routing fields. The idempotency key makes a retry of a send
 * whose answer was lost store nothing new: the gateway answers the same requestId.
 * @param {string} applies
 * @param {Record<string, unknown>} payload
 * @param {string} [idempotencyKey]
 * @returns {Promise<Reply<string>>} the requestId the gateway stored it under
 */
export async function sendShopData(applies, payload, idempotencyKey) {
  const reply = await call('', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify({ applies, source: SOURCE, profile: PROFILE, ...payload }),
  });
  if (!reply.ok) return reply;
  const requestId = /** @type {{ requestId?: unknown }} */ (reply.body ?? {}).requestId;
  if (reply.status === 202 && typeof requestId === 'string') return { ok: true, value: requestId };
  return { ok: false, status: reply.status, message: problemInWords(reply.status, reply.body) };
}

/**
 * A read where 404 means "not there (yet)", answered as null.
 * @template T
 * @param {string} path
 * @returns {Promise<Reply<T | null>>}
 */
async function read(path) {
  const reply = await call(path);
  if (!reply.ok) return reply;
  if (reply.status === 200) return { ok: true, value: /** @type {T} */ (reply.body) };
  if (reply.status === 404) return { ok: true, value: null };
  return { ok: false, status: reply.status, message: problemInWords(reply.status, reply.body) };
}

/**
 * @param {string} requestId
 * @param {number} [waitSeconds] let the gateway hold the answer until the request has an outcome (or is waiting)
 * @returns {Promise<Reply<RequestState | null>>}
 */
export const fetchRequest = (requestId, waitSeconds = 0) =>
  read(`/requests/${encodeURIComponent(requestId)}${waitSeconds > 0 ? `?wait=${waitSeconds}` : ''}`);

/**
 * @param {string} orderId
 * @returns {Promise<Reply<Order | null>>} null until the order is projected
 */
export const fetchOrder = (orderId) => read(`/orders/${encodeURIComponent(orderId)}`);

/**
 * @param {Record<string, string | undefined>} params
 * @returns {string}
 */
function queryString(params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * @param {{ status?: string, customerId?: string, limit?: string, cursor?: string }} params
 * @returns {Promise<Reply<OrderPage | null>>}
 */
export const fetchOrders = (params) => read(`/orders${queryString(params)}`);

/**
 * @param {{ from: string, to: string, currency?: string }} params
 * @returns {Promise<Reply<SalesReport | null>>}
 */
export const fetchSalesReport = (params) => read(`/reports/sales${queryString(params)}`);

/**
 * A request's three steps; with `known`, the gateway holds the answer up to `waitSeconds` until it differs.
 * @param {string} requestId
 * @param {number} [waitSeconds]
 * @param {string} [known] the `version` of the trace the page shows
 * @returns {Promise<Reply<RequestTrace | null>>}
 */
export const fetchTrace = (requestId, waitSeconds = 0, known = undefined) =>
  read(
    `/requests/${encodeURIComponent(requestId)}/trace${queryString({
      wait: waitSeconds > 0 ? String(waitSeconds) : undefined,
      known,
    })}`,
  );

/** @returns {Promise<Reply<PipelineStatus | null>>} */
export const fetchPipeline = () => read('/pipeline');

/**
 * @param {string} orderId
 * @returns {Promise<Reply<OrderHistory | null>>}
 */
export const fetchOrderHistory = (orderId) => read(`/orders/${encodeURIComponent(orderId)}/history`);
