/** `hearth serve --api`: the local API beside the headless host, its URL and key printed. */
import { createServer } from 'node:net';
import { rm } from 'node:fs/promises';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRendererFixture, type RendererFixture } from '../host/testing.js';
import { makeTestHome, TEST_MODEL_ID, type TestHome } from '../host/testEngine.js';
import { parseCommand } from './args.js';
import { runCliToEnd, startCli } from './testing.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('serve --api arguments', () => {
  it.each([
    [['serve', '--api'], { name: 'serve', api: {} }],
    [['serve', '--api', '--api-port', '9000'], { name: 'serve', api: { port: 9000 } }],
    [
      ['serve', '--port', '0', '--api', '--api-key', 'k'.repeat(16)],
      { name: 'serve', port: 0, api: { key: 'k'.repeat(16) } },
    ],
  ])('reads %j', (argv, expected) => {
    expect(parseCommand(argv)).toEqual(expected);
  });

  it.each([
    [['serve', '--api-port', '9000'], /go with --api/],
    [['serve', '--api', '--api-port', '0'], /--api-port must be between 1 and 65535/],
    [['serve', '--api', '--api-key', 'short'], /at least 16 characters/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(message);
  });
});

describe('hearth serve --api', () => {
  let fixture: RendererFixture;
  let home: TestHome;
  beforeAll(async () => {
    fixture = await makeRendererFixture();
    home = await makeTestHome({ models: true });
  });
  afterAll(async () => {
    await rm(fixture.root, { recursive: true, force: true });
    await home.cleanup();
  });

  it('prints the base URL and the key given, serves the OpenAI API, and stops on Ctrl-C', async () => {
    const port = await freePort();
    const key = 'my-own-key-0123456789';
    const run = startCli(['serve', '--port', '0', '--api', '--api-port', String(port), '--api-key', key], {
      home: home.home,
      rendererDir: fixture.rendererDir,
    });
    const [, baseUrl] = await run.stdout.waitFor(/Local API \(OpenAI-compatible\): (\S+)\n/);
    expect(baseUrl).toBe(`http://127.0.0.1:${port}/v1`);
    await run.stdout.waitFor(new RegExp(`API key: ${key}\\n`));
    const client = new OpenAI({ baseURL: baseUrl, apiKey: key, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: TEST_MODEL_ID,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 3,
    });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    run.interrupt.abort();
    expect(await run.exit).toBe(0);
    await expect(client.models.list()).rejects.toThrow();
  });

  it('takes the key from HEARTH_API_KEY, and the app key otherwise', async () => {
    const port = await freePort();
    const run = startCli(['serve', '--api', '--api-port', String(port)], {
      home: home.home,
      rendererDir: fixture.rendererDir,
      env: { HEARTH_API_KEY: 'from-the-environment-1234' },
    });
    await run.stdout.waitFor(/API key: from-the-environment-1234\n/);
    run.interrupt.abort();
    expect(await run.exit).toBe(0);

    const plain = startCli(['serve', '--api', '--api-port', String(port)], {
      home: home.home,
      rendererDir: fixture.rendererDir,
    });
    await plain.stdout.waitFor(/API key: hearth-[A-Za-z0-9_-]{32}\n/);
    plain.interrupt.abort();
    expect(await plain.exit).toBe(0);
  });

  it('exits 2 with the reason when the API port is taken', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const run = await runCliToEnd(['serve', '--api', '--api-port', String(port)], {
        home: home.home,
        rendererDir: fixture.rendererDir,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/already in use/);
    } finally {
      blocker.close();
    }
  });
});
