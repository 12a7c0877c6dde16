import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { inSpan, startTracing, traceContextOf, withTraceContext } from './tracing';

describe('tracing', () => {
  it('is off without an OTLP endpoint: no provider, and event metadata stays as it was', async () => {
    expect(startTracing('test', { otlpEndpoint: '', otlpTracesEndpoint: '' })).toBeUndefined();
    const metadata = { $correlationId: 'r-1' };
    await inSpan('append shop-input', {}, () => {
      expect(withTraceContext(metadata)).toBe(metadata);
      return Promise.resolve();
    });
  });

  it('when on, puts the W3C traceparent into metadata and continues it from there', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing('test', { otlpEndpoint: '', otlpTracesEndpoint: '' }, exporter)!;
    try {
      const carried = await inSpan('append shop-input', {}, () =>
        Promise.resolve(withTraceContext({ $correlationId: 'r-1' })),
      );
      expect(carried).toEqual({
        $correlationId: 'r-1',
        traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
      });
      const [appended] = exporter.getFinishedSpans();
      const continued = trace.getSpanContext(traceContextOf(carried));
      expect(continued).toMatchObject({
        traceId: appended!.spanContext().traceId,
        spanId: appended!.spanContext().spanId,
      });
    } finally {
      await tracing.shutdown();
    }
  });
});
