// The token scheme as a person meets it: the printed address opened in a real Chromium.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from './index.js';
import { makeRendererFixture, type RendererFixture } from './testing.js';
import { createTestEngine, type TestEngine } from './testEngine.js';

const chromiumPath = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.warn(`Skipping the browser tests of the host: no Chromium at ${chromiumPath}.`);

describe.skipIf(!hasChromium)('the printed address in Chromium', () => {
  let fixture: RendererFixture;
  let engine: TestEngine;
  let host: RunningHost;
  let browser: Browser;
  let foreign: Server;
  let foreignPort: number;

  beforeAll(async () => {
    fixture = await makeRendererFixture();
    engine = await createTestEngine();
    host = await startHost({ engine, rendererDir: fixture.rendererDir });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    // Another local web page (another port of the same machine is the same *site*, so
    // SameSite cookies do not keep it out: the Origin check and CORP must).
    foreign = createServer((_request, response) => {
      response.setHeader('Content-Type', 'text/html');
      response.end(`<!doctype html><body><script>
        const socket = new WebSocket('ws://127.0.0.1:${host.port}/api');
        socket.onopen = () => { document.body.dataset.socket = 'open'; };
        socket.onclose = () => { document.body.dataset.socket ??= 'refused'; };
        const script = document.createElement('script');
        script.src = 'http://127.0.0.1:${host.port}/assets/app.js';
        script.onload = () => { document.body.dataset.script = 'loaded'; };
        script.onerror = () => { document.body.dataset.script = 'blocked'; };
        document.body.append(script);
      </script></body>`);
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    foreignPort = (foreign.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => foreign?.close(resolve));
    await host?.close();
    await engine?.dispose();
    await rm(fixture.root, { recursive: true, force: true });
  });

  async function freshPage(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }

  it('opens the app in one step from the #token= address, then drops the token from the address', async () => {
    const page = await freshPage();
    await page.goto(host.url);
    await page.waitForSelector('body[data-reply]');
    const reply = JSON.parse((await page.getAttribute('body', 'data-reply')) ?? '{}') as { type?: string };
    expect(reply.type).toBe('result');
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`);
    // The session cookie is HttpOnly: the page's scripts cannot read the token.
    expect(await page.evaluate('document.cookie')).toBe('');
    await page.context().close();
  });

  it('shows the 401 page, and nothing of the app, without the token', async () => {
    const page = await freshPage();
    const response = await page.goto(`http://127.0.0.1:${host.port}/`);
    expect(response?.status()).toBe(401);
    await expect(page.textContent('h1')).resolves.toContain('needs its access token');
    expect(await page.getAttribute('body', 'data-reply')).toBeNull();
    await page.context().close();
  });

  it('stops at the 401 page for a wrong #token=, without looping', async () => {
    const page = await freshPage();
    await page.goto(`http://127.0.0.1:${host.port}/#token=wrong`);
    await page.waitForURL(`http://127.0.0.1:${host.port}/?token=wrong`);
    await page.waitForLoadState('load');
    await expect(page.textContent('h1')).resolves.toContain('needs its access token');
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/?token=wrong`);
    await page.context().close();
  });

  it("keeps another local page out of the socket and the files, even with the user's cookie", async () => {
    const page = await freshPage();
    await page.goto(host.url);
    await page.waitForSelector('body[data-reply]');
    await page.goto(`http://127.0.0.1:${foreignPort}/`);
    await page.waitForSelector('body[data-socket][data-script]', { state: 'attached' });
    expect(await page.getAttribute('body', 'data-socket')).toBe('refused');
    expect(await page.getAttribute('body', 'data-script')).toBe('blocked');
    await page.context().close();
  });
});
