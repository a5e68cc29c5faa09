/**
 * The chat flow in the real Electron app: the built app is launched with a temporary HEARTH_HOME that
 * holds a generated test model. Skips where Electron's binary was not downloaded (this CI machine).
 */
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { ensureTestModel, markSetupDone } from '../../test/support/index.js';
import { chooseModel, MODEL_ID, streamStopAndFollowUp } from '../support/chatFlow.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const SKIP_MESSAGE =
  'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); run npm install without it to run this test';

/**
 * The executable `require('electron')` would return, found the same way (path.txt, then dist/) but
 * without requiring the package: when the binary is missing, requiring it starts a download.
 */
function findElectronBinary(): string | null {
  const packageDir = join(repoRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env['ELECTRON_OVERRIDE_DIST_PATH'] || join(packageDir, 'dist');
  const binary = join(distDir, executable);
  return existsSync(binary) ? binary : null;
}

const electronBinary = findElectronBinary();
// Say it plainly in the run's output too: the list reporter shows skipped tests without their reason.
if (electronBinary === null) console.log(`[electron] skipped: ${SKIP_MESSAGE}`);

test.describe('Hearth in Electron', () => {
  test.skip(electronBinary === null, SKIP_MESSAGE);
  test.describe.configure({ mode: 'serial' });

  let home: string;
  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    if (!existsSync(join(repoRoot, 'out', 'main', 'index.js'))) {
      throw new Error('The app is not built: run `npm run build` before the Electron e2e test.');
    }
    home = await mkdtemp(join(tmpdir(), 'hearth-e2e-electron-'));
    await mkdir(join(home, 'models'), { recursive: true });
    await copyFile(await ensureTestModel({ name: 'Hearth Test' }), join(home, 'models', MODEL_ID));
    await markSetupDone(home);

    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
    }
    app = await electron.launch({
      executablePath: electronBinary ?? undefined,
      args: [repoRoot],
      cwd: repoRoot,
      env: { ...env, HEARTH_HOME: home },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  test('the window is sandboxed, served from app:// with a strict CSP, and stays on the app', async () => {
    expect(page.url()).toBe('app://hearth/index.html');

    const exposed = await page.evaluate(() => {
      const bridge = (window as unknown as { hearth: Record<string, unknown> & { api: object } }).hearth;
      return {
        require: typeof (globalThis as Record<string, unknown>)['require'],
        process: typeof (globalThis as Record<string, unknown>)['process'],
        bridge: Object.keys(bridge).sort(),
        api: Object.keys(bridge.api).sort(),
      };
    });
    expect(exposed.require).toBe('undefined');
    expect(exposed.process).toBe('undefined');
    expect(exposed.bridge).toEqual(['api', 'call', 'cancel', 'onEvent']);
    expect(exposed.api).toContain('chat.send');

    const responses = await page.evaluate(async () => {
      const index = await fetch('/index.html');
      const escape = await fetch('/..%2F..%2Fpackage.json');
      return { csp: index.headers.get('content-security-policy'), escapeStatus: escape.status };
    });
    expect(responses.csp).toContain("default-src 'self'");
    expect(responses.csp).toContain("frame-ancestors 'none'");
    expect(responses.escapeStatus).toBe(404);

    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://hearth/index.html');
  });

  test('choose a model, stream an answer, stop it, ask a follow-up', async () => {
    await chooseModel(page, MODEL_ID);
    // The Models menu follows the loaded model (rebuilt on models.changed).
    await expect
      .poll(() =>
        app.evaluate(
          ({ Menu }, id) => Menu.getApplicationMenu()?.getMenuItemById(`model:${id}`)?.checked ?? null,
          MODEL_ID,
        ),
      )
      .toBe(true);
    await streamStopAndFollowUp(page, test.info(), 'electron');
  });

  test('the Models menu unloads the model and the window follows', async () => {
    await app.evaluate(({ Menu }) => {
      const item = Menu.getApplicationMenu()?.getMenuItemById('models:unload');
      if (!item?.enabled) throw new Error('Unload model is not available in the Models menu');
      item.click();
    });
    await expect(page.getByTestId('model-status')).toBeHidden();
    await expect(page.getByLabel('Model', { exact: true })).toHaveValue('');
    await expect
      .poll(() =>
        app.evaluate(
          ({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('models:unload')?.enabled ?? null,
        ),
      )
      .toBe(false);
  });
});
