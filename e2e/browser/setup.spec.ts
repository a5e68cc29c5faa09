/**
 * First-run setup end to end in Chromium through `hearth serve`, against the local test download
 * server: the welcome with this machine, the two recommended models downloaded with one click and
 * one bar, an Ollama model found in a fake home and used by reference, the chat with the drag hint,
 * setup remembered across reloads, and "Run setup again" from Settings. Screenshots of each step.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ensureTestModel, writeTestModel } from '../../test/support/index.js';
import { axeViolations } from '../support/axe.js';
import { CATALOG_CHAT_NAME, startCatalogServer, type CatalogServer } from '../support/catalogServer.js';
import { makeEmptyHome, serve, type ServedHearth } from '../support/serve.js';

test.describe.configure({ mode: 'serial' });

let catalog: CatalogServer;
let hearth: ServedHearth;
let fakeHome: string;

/** A user home where LM Studio and Ollama (blob named by digest, real manifest shape) left models. */
async function makeOtherAppsHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'hearth-e2e-apps-'));
  const lmStudio = join(home, '.lmstudio', 'models', 'lmstudio-community', 'Tiny-GGUF');
  await mkdir(lmStudio, { recursive: true });
  await writeTestModel(join(lmStudio, 'Tiny-Instruct-Q4_K_M.gguf'), { seed: 31 });
  const bytes = await readFile(await ensureTestModel({ seed: 32, name: 'Ollama Tiny' }));
  const digest = createHash('sha256').update(bytes).digest('hex');
  const models = join(home, '.ollama', 'models');
  await mkdir(join(models, 'blobs'), { recursive: true });
  await writeFile(join(models, 'blobs', `sha256-${digest}`), bytes);
  const manifests = join(models, 'manifests', 'registry.ollama.ai', 'library', 'tinyllama');
  await mkdir(manifests, { recursive: true });
  await writeFile(
    join(manifests, 'latest'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        digest: `sha256:${'1'.repeat(64)}`,
        size: 10,
      },
      layers: [
        { mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${digest}`, size: bytes.length },
      ],
    }),
  );
  return home;
}

test.beforeAll(async () => {
  // Two files of ~700 KB at 400 KB/s: long enough to see the one bar move.
  catalog = await startCatalogServer({ bytesPerSecond: 400 * 1024 });
  catalog.server.serveJson('/releases/latest', {
    tag_name: 'v9.1.0',
    body: 'Hearth 9.1\n\n- Answers cite the page they come from\n- Faster model switching',
    html_url: 'https://example.invalid/hearth/releases/tag/v9.1.0',
  });
  fakeHome = await makeOtherAppsHome();
  hearth = await serve(await makeEmptyHome(), {
    firstRun: true,
    env: {
      ...catalog.env,
      HEARTH_DETECT_HOME: fakeHome,
      HEARTH_RELEASES_URL: `${catalog.server.url}/releases/latest`,
    },
  });
});

test.afterAll(async () => {
  await hearth?.stop();
  await catalog?.close();
  if (fakeHome) await rm(fakeHome, { recursive: true, force: true });
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}

test('a first start walks from the welcome to the chat: machine, models, files, ready', async ({ page }) => {
  await page.goto(hearth.url);
  const setup = page.getByTestId('setup');
  await expect(setup).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Welcome to Hearth' })).toBeVisible();
  await expect(page.getByTestId('hardware-ram')).toHaveText(/\d+(\.\d+)? GB/);
  await expect(page.getByTestId('hardware-cores')).toHaveText(/\d+ cores/);
  await shot(page, 'setup-1-welcome');

  await page.getByTestId('setup-next').click();
  await expect(page.getByRole('heading', { name: 'Models for this computer' })).toBeVisible();
  const picks = page.getByTestId('setup-pick');
  await expect(picks).toHaveCount(2);
  const chat = page.locator('[data-testid="setup-pick"][data-kind="chat"]');
  await expect(chat).toContainText(CATALOG_CHAT_NAME);
  await expect(chat).toContainText('License mit');
  await expect(chat).toContainText(/Runs on the processor|Runs fully on your/);
  const embed = page.locator('[data-testid="setup-pick"][data-kind="embedding"]');
  await expect(embed).toContainText('Hearth Tiny Embed');
  await expect(embed).toContainText('License cc-by-nc-4.0 (non-commercial)');
  await shot(page, 'setup-2-models');

  await page.getByTestId('setup-download').click();
  const progress = page.getByTestId('setup-progress');
  await expect(progress).toHaveAttribute('data-state', 'downloading');
  await expect
    .poll(async () => Number(await page.getByTestId('setup-progress-bar').getAttribute('aria-valuenow')))
    .toBeGreaterThan(5);
  await shot(page, 'setup-3-downloading');
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('setup-progress-bar')).toHaveAttribute('aria-valuenow', '100');
  await shot(page, 'setup-4-downloaded');

  await page.getByTestId('setup-next').click();
  await expect(page.getByRole('heading', { name: 'Use models you already have' })).toBeVisible();
  const found = page.getByTestId('setup-detected');
  await expect(found).toContainText('LM Studio');
  await expect(found).toContainText('Tiny-Instruct-Q4_K_M.gguf');
  await expect(found).toContainText('Ollama');
  await expect(found).toContainText('tinyllama:latest');
  await shot(page, 'setup-5-existing');
  await page.getByRole('button', { name: 'Use tinyllama:latest' }).click();
  await expect(
    page
      .getByTestId('setup-detected-model')
      .filter({ hasText: 'tinyllama:latest' })
      .getByTestId('setup-imported'),
  ).toHaveText('Linked');
  await shot(page, 'setup-6-linked');

  await page.getByTestId('setup-next').click();
  await expect(page.getByRole('heading', { name: 'You’re ready' })).toBeVisible();
  await expect(page.getByTestId('setup-drag-hint')).toContainText('Drag documents onto the window');
  await shot(page, 'setup-7-ready');

  await page.getByTestId('setup-finish').click();
  await expect(setup).toBeHidden();
  // The chat model setup installed is loaded for the first question.
  await expect(page.getByTestId('sidebar-model')).toContainText(CATALOG_CHAT_NAME, { timeout: 30_000 });
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();
  await expect(page.getByTestId('chat-drag-hint')).toContainText('Drag documents onto the window');
  await shot(page, 'setup-8-chat');
  await page.getByRole('button', { name: 'Dismiss the hint' }).click();
  await expect(page.getByTestId('chat-drag-hint')).toHaveCount(0);

  // Both downloads and the linked Ollama model are installed.
  await page.getByTestId('nav-models').click();
  await expect(page.getByText('tinyllama-latest.gguf').first()).toBeVisible();

  // Remembered: a reload goes straight to the app.
  await page.reload();
  await expect(page.getByTestId('sidebar-model')).toBeVisible();
  await expect(setup).toBeHidden();
});

test('"Run setup again" from Settings reopens it, and skipping is remembered', async ({ page }) => {
  await page.goto(hearth.url);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('updates-settings')).toBeVisible();
  await page.getByTestId('run-setup-again').click();
  const setup = page.getByTestId('setup');
  await expect(setup).toBeVisible();
  // The welcome in the dark theme, with no serious accessibility problems there or on the models step.
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await expect(page.getByTestId('hardware-cores')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'setup-10-welcome-dark');
  await page.getByTestId('setup-next').click();
  await expect(page.getByTestId('setup-pick')).toHaveCount(2);
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'setup-11-models-dark');
  // Already installed: nothing left to download.
  await expect(page.getByTestId('setup-pick').first()).toContainText('Installed');
  await expect(page.getByTestId('setup-download')).toHaveCount(0);
  await page.getByTestId('setup-skip-all').click();
  await expect(setup).toBeHidden();
  await page.reload();
  await expect(page.getByTestId('sidebar-model')).toBeVisible();
  await expect(setup).toBeHidden();
});

test('update checks are off until turned on in Settings', async ({ page }) => {
  await page.goto(hearth.url);
  await page.getByTestId('nav-settings').click();
  const toggle = page.getByTestId('updates-toggle');
  await expect(toggle).not.toBeChecked();
  await expect(page.getByTestId('updates-check')).toHaveCount(0);
  const asked = () => catalog.server.requests.filter((request) => request.path === '/releases/latest').length;
  expect(asked()).toBe(0);
  await toggle.check();
  await expect(page.getByTestId('updates-feed')).toHaveValue(`${catalog.server.url}/releases/latest`);
  await page.getByTestId('updates-check').click();
  const result = page.getByTestId('updates-result');
  await expect(result).toHaveAttribute('data-newer', 'true');
  await expect(result).toContainText('Hearth 9.1.0 is available');
  await expect(page.getByTestId('updates-notes')).toContainText('Answers cite the page they come from');
  expect(asked()).toBe(1);
  await page.getByTestId('updates-settings').scrollIntoViewIfNeeded();
  await shot(page, 'setup-9-updates');
  await toggle.uncheck();
  await expect(page.getByTestId('updates-feed')).toHaveCount(0);
});
