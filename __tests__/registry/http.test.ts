import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { httpGet, type HttpOptions } from '../../src/registry/http.js';
import { FetchError } from '../../src/registry/index.js';
import { bytes, startServer, type TestServer } from './server.js';

describe('httpGet', () => {
  let server: TestServer;
  const options = (overrides: Partial<HttpOptions> = {}): HttpOptions => ({
    fetch: globalThis.fetch,
    timeoutMs: 2000,
    retries: 2,
    retryBaseDelayMs: 1,
    maxBytes: 1024,
    ...overrides,
  });

  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await server.close();
  });

  async function failure(promise: Promise<unknown>): Promise<FetchError> {
    const error = await promise.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(FetchError);
    return error as FetchError;
  }

  it('returns the body and identifies itself', async () => {
    server.route('/ok', bytes(Buffer.from('hello')));
    const response = await httpGet(`${server.url}/ok`, options());
    expect(Buffer.from(response.body).toString()).toBe('hello');
    expect(server.requests[0].headers['user-agent']).toBe('pkg-gate');
  });

  it('retries a 503 and succeeds on the next attempt', async () => {
    let calls = 0;
    server.route('/flaky', (_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(503);
        res.end('busy');
        return;
      }
      res.end('fine');
    });
    const response = await httpGet(`${server.url}/flaky`, options());
    expect(Buffer.from(response.body).toString()).toBe('fine');
    expect(calls).toBe(2);
  });

  it('retries a 429 after the delay the server asks for', async () => {
    let calls = 0;
    server.route('/limited', (_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(429, { 'retry-after': '0' });
        res.end();
        return;
      }
      res.end('ok');
    });
    await expect(httpGet(`${server.url}/limited`, options())).resolves.toBeDefined();
    expect(calls).toBe(2);
  });

  it('follows redirects, as PyPI does for non-canonical names', async () => {
    server.route('/old', (_req, res) => {
      res.writeHead(301, { location: '/new' });
      res.end();
    });
    server.route('/new', bytes(Buffer.from('moved')));
    const response = await httpGet(`${server.url}/old`, options());
    expect(Buffer.from(response.body).toString()).toBe('moved');
    expect(response.url).toBe(`${server.url}/new`);
  });

  it('gives up after the configured retries on persistent 5xx', async () => {
    server.route('/down', (_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const error = await failure(httpGet(`${server.url}/down`, options({ retries: 2 })));
    expect(error.code).toBe('bad-response');
    expect(error.status).toBe(500);
    expect(server.requests).toHaveLength(3);
  });

  it('maps 404 to not-found without retrying', async () => {
    const error = await failure(httpGet(`${server.url}/missing`, options()));
    expect(error.code).toBe('not-found');
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry other 4xx', async () => {
    server.route('/forbidden', (_req, res) => {
      res.writeHead(403);
      res.end();
    });
    const error = await failure(httpGet(`${server.url}/forbidden`, options()));
    expect(error.code).toBe('bad-response');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a server that never answers', async () => {
    server.route('/hang', () => undefined);
    const started = Date.now();
    const error = await failure(
      httpGet(`${server.url}/hang`, options({ timeoutMs: 150, retries: 1 })),
    );
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/did not answer within 150 ms/);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('times out a body that stalls after the headers', async () => {
    server.route('/stall', (_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    const error = await failure(
      httpGet(`${server.url}/stall`, options({ timeoutMs: 150, retries: 0 })),
    );
    expect(error.code).toBe('network');
  });

  it('refuses a body whose Content-Length is over the cap', async () => {
    server.route('/big', bytes(Buffer.alloc(4096)));
    const error = await failure(httpGet(`${server.url}/big`, options({ maxBytes: 1024 })));
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/declares 4096 bytes/);
  });

  it('stops reading a streamed body that passes the cap without a Content-Length', async () => {
    server.route('/stream', (_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 8; i++) res.write(Buffer.alloc(512));
      res.end();
    });
    const error = await failure(httpGet(`${server.url}/stream`, options({ maxBytes: 1024 })));
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/sent more than 1024 bytes/);
  });

  it('reports an unreachable host as a network error', async () => {
    const url = server.url;
    await server.close();
    server = await startServer();
    const error = await failure(httpGet(`${url}/x`, options({ retries: 0 })));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/could not be reached/);
  });
});
