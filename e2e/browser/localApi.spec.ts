/**
 * Settings > Local API as a user meets it through `hearth serve`: off by default; the switch starts
 * the server; a request from an outside client shows up in the live log; regenerating the key
 * locks the old one out.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { MODEL_ID } from '../support/chatFlow.js';
import { makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

let hearth: ServedHearth;
let port: number;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
}

test.beforeAll(async () => {
  const home = await makeHomeWithModels();
  port = await freePort();
  // A free port instead of the default one, which another Hearth on this machine may hold.
  await writeFile(join(home, 'local-api.json'), JSON.stringify({ settings: { port } }));
  hearth = await serve(home);
});

test.afterAll(async () => {
  await hearth?.stop();
});

async function storedKey(): Promise<string> {
  return (JSON.parse(await readFile(join(hearth.home, 'local-api.json'), 'utf8')) as { key: string }).key;
}

test('turn the local API on, call it, watch the log, regenerate the key', async ({ page }) => {
  await page.goto(hearth.url);
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('local-api-settings');
  await section.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('local-api-status')).toHaveText('Off');
  await expect(page.getByTestId('local-api-log-empty')).toBeVisible();
  await expect(page.getByTestId('local-api-address')).toHaveText(`http://127.0.0.1:${port}/v1`);
  await expect(page.getByTestId('local-api-key')).toHaveText(/^•+$/);
  await page.screenshot({ path: test.info().outputPath('local-api-off.png'), fullPage: true });

  await page.getByText('Serve the local API').click();
  await expect(page.getByTestId('local-api-status')).toHaveText('Running');
  const key = await storedKey();
  await page.getByRole('button', { name: 'Show API key' }).click();
  await expect(page.getByTestId('local-api-key')).toHaveText(key);
  await expect(page.getByTestId('local-api-curl')).toContainText('Authorization: Bearer $HEARTH_API_KEY');
  await expect(page.getByTestId('local-api-curl')).not.toContainText(key);

  const reply = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL_ID, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4 }),
  });
  expect(reply.status).toBe(200);
  const row = page.getByTestId('local-api-log').locator('tbody tr').first();
  await expect(row).toContainText('POST /v1/chat/completions');
  await expect(row).toContainText(MODEL_ID);
  await expect(row).toContainText('200');
  await expect(row).toContainText('→ 4');
  await page.getByText('Connection and models').click();
  await page.screenshot({ path: test.info().outputPath('local-api-running.png'), fullPage: true });

  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.getByTestId('local-api-key')).not.toHaveText(key);
  const old = await fetch(`http://127.0.0.1:${port}/v1/models`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(old.status).toBe(401);

  await page.getByText('Serve the local API').click();
  await expect(page.getByTestId('local-api-status')).toHaveText('Off');
  await expect(fetch(`http://127.0.0.1:${port}/v1/models`)).rejects.toThrow();
});
