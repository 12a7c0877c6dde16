import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  TracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import type { RequestHandler } from 'express';

/**
 * Traces across the three steps. One trace per request: the gateway's HTTP span, the append of the input event,
 * the processor's handling, its appends, and each read-model write. The W3C `traceparent` (and `tracestate`)
 * travels in every appended event's metadata, next to `$correlationId` / `$causationId`, so the trace crosses the
 * store: whoever handles an event continues the trace of the one that appended it.
 *
 * Off by default (the OpenTelemetry API is then a no-op and no metadata is added); on when
 * OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, exported over OTLP/HTTP with the
 * exporter's own standard variables (headers, timeout, ...).
 */
export const TRACER_NAME = 'shop-pipeline';

export interface TracingSettings {
  readonly otlpEndpoint: string;
  readonly otlpTracesEndpoint: string;
}

export interface Tracing {
  /** Exports what is still buffered and stops. */
  shutdown(): Promise<void>;
}

const tracer = () => trace.getTracer(TRACER_NAME);

/**
 * Installs the global tracer provider, context manager and W3C propagator. `exporter` (tests: an in-memory one)
 * turns tracing on regardless of the settings; spans are then exported one by one.
 */
export function startTracing(
  service: string,
  settings: TracingSettings,
  exporter?: SpanExporter,
): Tracing | undefined {
  const endpoint = settings.otlpTracesEndpoint || settings.otlpEndpoint;
  if (!exporter && !endpoint) return undefined;
  const processor = exporter
    ? new SimpleSpanProcessor({ exporter })
    : new BatchSpanProcessor({ exporter: new OTLPTraceExporter() });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [processor],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The context to continue; the active one when absent. */
  readonly parent?: Context;
}

/** Runs `work` inside a new span, recording an error (and rethrowing it) when it throws. */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    span.end();
  }
}

/** Starts a span the caller ends (e.g. one per event of a batch, all ended after the batch's one write). */
export function startSpan(name: string, options: SpanOptions): Span {
  return tracer().startSpan(name, { kind: options.kind, attributes: options.attributes }, options.parent);
}

/** The event metadata with the active trace context added (`traceparent`, `tracestate`); as it was when off. */
export function withTraceContext(metadata: Record<string, unknown>): Record<string, unknown> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length === 0 ? metadata : { ...metadata, ...carrier };
}

/** The trace context an event carries in its metadata; the root context when it carries none. */
export function traceContextOf(metadata: Record<string, unknown>): Context {
  const carrier: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = metadata[key];
    if (typeof value === 'string') carrier[key] = value;
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/**
 * A SERVER span per HTTP request, continuing an incoming `traceparent`; named after the route pattern once it is
 * known. Everything the request's handlers do runs inside it.
 */
export function httpTracing(): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer().startSpan(
      `${req.method} ${req.path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
      parent,
    );
    res.on('finish', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      if (routePath) span.updateName(`${req.method} ${req.baseUrl}${routePath}`);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

export { SpanKind };
