/**
 * The chat flow in the real Electron app: the built app is launched with a temporary HEARTH_HOME that
 * holds a generated test model. Skips where Electron's binary was not downloaded (this CI machine).
 * The window's lockdown (webPreferences, CSP, navigation, permissions) is security.spec.ts.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { ensureTestModel } from '../../test/support/index.js';
import { chooseModel, MODEL_ID, streamStopAndFollowUp } from '../support/chatFlow.js';
import { ELECTRON_SKIP_MESSAGE, findElectronBinary, launchHearth } from '../support/electronApp.js';

const electronBinary = findElectronBinary();
// Say it plainly in the run's output too: the list reporter shows skipped tests without their reason.
if (electronBinary === null) console.log(`[electron] skipped: ${ELECTRON_SKIP_MESSAGE}`);

test.describe('Hearth in Electron', () => {
  test.skip(electronBinary === null, ELECTRON_SKIP_MESSAGE);
  test.describe.configure({ mode: 'serial' });

  let home: string;
  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'hearth-e2e-electron-'));
    await mkdir(join(home, 'models'), { recursive: true });
    await copyFile(await ensureTestModel({ name: 'Hearth Test' }), join(home, 'models', MODEL_ID));
    app = await launchHearth(electronBinary!, home);
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (home) await rm(home, { recursive: true, force: true });
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
