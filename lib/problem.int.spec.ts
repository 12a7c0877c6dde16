import express from 'express';
import { listen } from './http';
import { problemErrorHandler, clientErrorProblem } from './problem';

describe('problem+json for what handlers and parsers throw', () => {
  it("keeps an error's own 4xx status without showing its message", () => {
    const thrown = Object.assign(new Error('Failed to decode param %ZZ at /internal/path'), { status: 400 });
    expect(clientErrorProblem(thrown)).toMatchObject({
      status: 400,
      type: expect.stringMatching(/bad-request$/),
    });
    expect(JSON.stringify(clientErrorProblem(thrown))).not.toContain('internal');
    expect(clientErrorProblem(Object.assign(new Error('x'), { statusCode: 404 }))).toMatchObject({
      status: 404,
    });
    expect(clientErrorProblem(Object.assign(new Error('x'), { status: 503 }))).toBeUndefined();
    expect(clientErrorProblem(new Error('boom'))).toBeUndefined();
  });

  it('logs a client that went away as such, an unknown error as unexpected, and answers 500 for the latter', async () => {
    const unexpected: unknown[] = [];
    const gone: unknown[] = [];
    const app = express();
    app.get('/aborted', () => {
      throw Object.assign(new Error('request aborted'), { type: 'request.aborted', status: 400 });
    });
    app.get('/boom', () => {
      throw new Error('secret detail');
    });
    app.use(
      problemErrorHandler(
        (error) => unexpected.push(error),
        (error) => gone.push(error),
      ),
    );
    const server = await listen(app, 0, '127.0.0.1', 'PORT');
    try {
      const aborted = await fetch(`http://127.0.0.1:${server.port}/aborted`);
      expect(aborted.status).toBe(400);
      const boom = await fetch(`http://127.0.0.1:${server.port}/boom`);
      expect(boom.status).toBe(500);
      expect(boom.headers.get('content-type')).toMatch(/problem\+json/);
      expect(await boom.text()).not.toContain('secret');
      expect({ gone: gone.length, unexpected: unexpected.length }).toEqual({ gone: 1, unexpected: 1 });
    } finally {
      await server.close();
    }
  });
});
