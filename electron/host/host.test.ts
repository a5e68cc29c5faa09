// The host's gate: token, Host header, Origin, paths; over real HTTP and real WebSockets.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from './index.js';
import { makeRendererFixture, openSocket, rawRequest, SECRET_TEXT, type RendererFixture } from './testing.js';
import { createTestEngine, type TestEngine } from './testEngine.js';

let fixture: RendererFixture;
let engine: TestEngine;
let host: RunningHost;
let port: number;
let token: string;

beforeAll(async () => {
  fixture = await makeRendererFixture();
  engine = await createTestEngine();
  host = await startHost({ engine, rendererDir: fixture.rendererDir });
  ({ port, token } = host);
});

afterAll(async () => {
  await host?.close();
  await engine?.dispose();
  await rm(fixture.root, { recursive: true, force: true });
});

const bearer = () => ({ authorization: `Bearer ${token}` });

describe('the address and the token', () => {
  it('prints a loopback address whose fragment holds a strong random token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${port}/#token=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives each host its own token', async () => {
    const other = await startHost({ engine, rendererDir: fixture.rendererDir });
    try {
      expect(other.token).not.toBe(token);
      expect(other.port).not.toBe(port);
    } finally {
      await other.close();
    }
  });
});

describe('HTTP without the token', () => {
  it('answers / with a 401 page that holds only the token bootstrap, allowed by hash', async () => {
    const response = await rawRequest(port, '/');
    expect(response.status).toBe(401);
    expect(response.body).toContain('access token');
    expect(response.body).not.toContain('Hearth</body>'); // not the app's page
    expect(response.body).toContain("location.replace('/?token='");
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'sha256-/);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it.each(['/index.html', '/assets/app.js', '/assets/app.css', '/api', '/missing'])(
    'refuses %s',
    async (path) => {
      const response = await rawRequest(port, path);
      expect(response.status).toBe(401);
      expect(response.body).not.toContain('WebSocket');
      expect(response.body).not.toContain('<script'); // only the bare / page bootstraps
    },
  );

  it('refuses a wrong token in the query, the header and the cookie', async () => {
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await rawRequest(port, `/?token=${wrong}`)).status).toBe(401);
    expect((await rawRequest(port, `/?token=`)).status).toBe(401);
    expect(
      (await rawRequest(port, '/assets/app.js', { headers: { authorization: `Bearer ${wrong}` } })).status,
    ).toBe(401);
    const cookie = { cookie: `hearth_token_${port}=${wrong}` };
    expect((await rawRequest(port, '/assets/app.js', { headers: cookie })).status).toBe(401);
    // Another port's cookie is not this host's.
    const otherPort = { cookie: `hearth_token_${port + 1}=${token}` };
    expect((await rawRequest(port, '/assets/app.js', { headers: otherPort })).status).toBe(401);
  });

  it('does not let a valid cookie rescue a wrong explicit token', async () => {
    const response = await rawRequest(port, '/?token=nope', {
      headers: { cookie: `hearth_token_${port}=${token}` },
    });
    expect(response.status).toBe(401);
  });
});

describe('HTTP with the token', () => {
  it('swaps ?token= for an HttpOnly SameSite=Strict cookie and a clean address', async () => {
    const response = await rawRequest(port, `/?token=${token}`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    const cookie = response.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toContain(`hearth_token_${port}=${token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');

    const page = await rawRequest(port, '/', { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Hearth</body>');
  });

  it('serves index.html with the CSP, nosniff and no caching', async () => {
    const response = await rawRequest(port, '/', { headers: bearer() });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const csp = response.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
  });

  it.each([
    ['/assets/app.js', 'text/javascript; charset=utf-8', 'new WebSocket'],
    ['/assets/app.css', 'text/css; charset=utf-8', 'margin'],
    ['/assets/logo.svg', 'image/svg+xml', '<svg'],
  ])('serves %s as %s', async (path, type, content) => {
    const response = await rawRequest(port, path, { headers: bearer() });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(type);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.body).toContain(content);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await rawRequest(port, '/assets/app.js', { method: 'HEAD', headers: bearer() });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await rawRequest(port, '/assets/app.js', { method: 'POST', headers: bearer() });
    expect(post.status).toBe(405);
  });

  it('answers 404 for a missing file and for a folder', async () => {
    expect((await rawRequest(port, '/nothing.js', { headers: bearer() })).status).toBe(404);
    expect((await rawRequest(port, '/assets', { headers: bearer() })).status).toBe(404);
    expect((await rawRequest(port, '/assets/', { headers: bearer() })).status).toBe(404);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/assets/link.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('never serves what lies outside the renderer folder: %s', async (path) => {
    const response = await rawRequest(port, path, { headers: bearer() });
    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain(SECRET_TEXT);
  });

  it('refuses an absolute-form request target', async () => {
    const response = await rawRequest(port, `http://127.0.0.1:${port}/index.html`, { headers: bearer() });
    expect(response.status).toBe(400);
  });
});

describe('the Host header (DNS-rebinding defence)', () => {
  it.each([
    'evil.example:PORT',
    'evil.example',
    '127.0.0.1',
    '127.0.0.1:1',
    '0.0.0.0:PORT',
    '[::1]:PORT',
    '127.0.0.1.evil.example:PORT',
  ])('refuses Host %s with 403, even with the token', async (hostHeader) => {
    const response = await rawRequest(port, '/', {
      headers: { ...bearer(), host: hostHeader.replace('PORT', String(port)) },
    });
    expect(response.status).toBe(403);
    expect(response.body).not.toContain('Hearth</body>');
  });

  it('accepts localhost with the port', async () => {
    const response = await rawRequest(port, '/', { headers: { ...bearer(), host: `localhost:${port}` } });
    expect(response.status).toBe(200);
  });
});

describe('the WebSocket upgrade', () => {
  const origin = () => `http://127.0.0.1:${port}`;

  it('refuses a socket without a token or with a wrong one (401)', async () => {
    expect(await openSocket(port, { origin: origin() })).toEqual({ ok: false, status: 401 });
    expect(await openSocket(port, { path: '/api?token=wrong', origin: origin() })).toEqual({
      ok: false,
      status: 401,
    });
  });

  it('refuses a foreign Origin (403), even with the token', async () => {
    for (const foreign of [
      'http://evil.example',
      `http://localhost:${port}`,
      'null',
      `https://127.0.0.1:${port}`,
    ]) {
      expect(await openSocket(port, { path: `/api?token=${token}`, origin: foreign })).toEqual({
        ok: false,
        status: 403,
      });
    }
  });

  it('refuses a foreign Host (403)', async () => {
    const attempt = await openSocket(port, {
      path: `/api?token=${token}`,
      headers: { host: `evil.example:${port}` },
    });
    expect(attempt).toEqual({ ok: false, status: 403 });
  });

  it('refuses other paths (404)', async () => {
    expect(await openSocket(port, { path: `/other?token=${token}`, origin: origin() })).toEqual({
      ok: false,
      status: 404,
    });
  });

  it('accepts the token by query, cookie or bearer header from the page origin', async () => {
    const viaCookie = await openSocket(port, {
      origin: origin(),
      headers: { cookie: `hearth_token_${port}=${token}` },
    });
    const viaBearer = await openSocket(port, { headers: bearer() });
    const viaQuery = await openSocket(port, { path: `/api?token=${token}`, origin: origin() });
    for (const attempt of [viaCookie, viaBearer, viaQuery]) {
      expect(attempt.ok).toBe(true);
      if (!attempt.ok) continue;
      const reply = await attempt.client.call('models.status', {});
      expect(reply.type).toBe('result');
      attempt.client.close();
    }
  });

  it('accepts localhost when the page was opened at localhost', async () => {
    const attempt = await openSocket(port, {
      path: `/api?token=${token}`,
      origin: `http://localhost:${port}`,
      headers: { host: `localhost:${port}` },
    });
    expect(attempt.ok).toBe(true);
    if (attempt.ok) attempt.client.close();
  });
});

describe('closing', () => {
  it('closes open sockets and stops listening', async () => {
    const other = await startHost({ engine, rendererDir: fixture.rendererDir });
    const attempt = await openSocket(other.port, { path: `/api?token=${other.token}` });
    if (!attempt.ok) throw new Error('socket refused');
    await other.close();
    expect(await attempt.client.closed).toBe(1001);
    await expect(
      rawRequest(other.port, '/', { headers: { authorization: `Bearer ${other.token}` } }),
    ).rejects.toThrow();
  });

  it('reports a port in use clearly', async () => {
    await expect(startHost({ engine, rendererDir: fixture.rendererDir, port })).rejects.toThrow(
      `Port ${port} is already in use`,
    );
  });
});
