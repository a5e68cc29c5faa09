/**
 * Settings > Privacy as a browser user meets it, through `hearth serve` with a local stand-in for
 * Hugging Face: the ledger lists the catalog and fit-check connections the Discover tab made, offline
 * mode shows its badge and window title and blocks a download (listed as blocked), and "Delete all my
 * data" needs the typed words, then leaves an empty, working app with the models kept.
 */
import { expect, test, type Page } from '@playwright/test';
import { CATALOG_CHAT_NAME, startCatalogServer, type CatalogServer } from '../support/catalogServer.js';
import { makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

test.describe.configure({ mode: 'serial' });

let catalog: CatalogServer;
let hearth: ServedHearth;
const shots = process.env.HEARTH_SHOTS_DIR;

test.beforeAll(async () => {
  catalog = await startCatalogServer({ bytesPerSecond: 4 * 1024 * 1024 });
  hearth = await serve(await makeHomeWithModels(), { env: catalog.env });
});
test.afterAll(async () => {
  await hearth?.stop();
  await catalog?.close();
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: shots ? `${shots}/${name}` : test.info().outputPath(name), fullPage: true });
}

async function openPrivacy(page: Page) {
  await page.getByTestId('nav-settings').click();
  const privacy = page.getByTestId('privacy-settings');
  await privacy.scrollIntoViewIfNeeded();
  return privacy;
}

test('the ledger lists real connections; offline mode shows itself and blocks a download', async ({
  page,
}) => {
  await page.goto(hearth.url);
  let privacy = await openPrivacy(page);
  await expect(privacy.getByTestId('privacy-count')).toHaveText(
    /^Hearth has made 0 network connections since install/,
  );
  await expect(privacy.getByTestId('ledger-empty')).toBeVisible();

  // The Discover tab reads the catalog and each file's header from the local server: allowed, listed.
  await page.getByTestId('nav-models').click();
  await page.getByRole('tab', { name: /^Discover/ }).click();
  const card = page.locator('[data-entry-id="hearth-tiny-chat"]');
  await expect(card.getByTestId('fit-badge')).toHaveText(
    /runs fully on GPU|partly on GPU|CPU only, slow|will not fit/,
  );

  privacy = await openPrivacy(page);
  await expect(privacy.getByTestId('privacy-count')).not.toHaveText(/made 0 network/);
  await expect(privacy.getByTestId('ledger-row').filter({ hasText: 'model catalog' })).toContainText(
    'Allowed',
  );

  // Offline mode on: the badge and the title say so.
  await privacy.getByTestId('offline-switch').check();
  await expect(page.getByTestId('offline-badge')).toBeVisible();
  await expect(page).toHaveTitle('Hearth (offline)');

  // A download is refused before it connects, with a clear message, and the ledger lists it as blocked.
  const requestsBefore = catalog.server.requests.length;
  await page.getByTestId('nav-models').click();
  await page.getByRole('tab', { name: /^Discover/ }).click();
  await card.getByRole('button', { name: `Download ${CATALOG_CHAT_NAME}` }).click();
  await expect(card.getByTestId('download')).toHaveAttribute('data-state', 'failed');
  await expect(card.getByRole('alert')).toContainText('offline mode is on');
  expect(catalog.server.requests.length).toBe(requestsBefore);
  await shot(page, 'privacy-download-blocked.png');

  privacy = await openPrivacy(page);
  const blocked = privacy.getByTestId('ledger-row').first();
  await expect(blocked).toContainText('Blocked');
  await expect(blocked).toContainText('127.0.0.1');
  await expect(blocked).toContainText(`model download: ${CATALOG_CHAT_NAME}`);
  await expect(blocked).toContainText('offline mode is on');
  await expect(privacy.getByTestId('privacy-count')).toContainText('and blocked 1 more');
  await shot(page, 'privacy-settings-offline.png');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'privacy-settings-dark.png');
  await page.emulateMedia({ colorScheme: 'light' });

  // Off again: badge and title go back.
  await privacy.getByTestId('offline-switch').uncheck();
  await expect(page.getByTestId('offline-badge')).toHaveCount(0);
  await expect(page).toHaveTitle('Hearth');
});

test('delete all my data needs the typed words, then leaves an empty, working app', async ({ page }) => {
  await page.goto(hearth.url);
  const privacy = await openPrivacy(page);
  await expect(privacy.getByTestId('ledger-row').first()).toBeVisible();
  await privacy.getByRole('button', { name: /Delete all my data/ }).click();
  const dialog = page.getByTestId('delete-data-dialog');
  const confirm = dialog.getByRole('button', { name: 'Delete everything' });
  await expect(confirm).toBeDisabled();
  await dialog.getByTestId('delete-data-confirm').fill('delete my data');
  await expect(dialog.getByTestId('keep-models')).toBeChecked();
  await expect(confirm).toBeEnabled();
  await shot(page, 'privacy-delete-dialog.png');
  await confirm.click();

  // The page reloads on the emptied data, as on a first start: the welcome first (skipped here),
  // then no ledger, the models still there.
  await page.getByTestId('setup-skip-all').click();
  const fresh = await openPrivacy(page);
  await expect(fresh.getByTestId('ledger-empty')).toBeVisible();
  await expect(fresh.getByTestId('privacy-count')).toHaveText(/made 0 network connections/);
  await page.getByTestId('nav-models').click();
  await page.getByRole('tab', { name: /^Installed/ }).click();
  await expect(page.getByTestId('installed-model').filter({ hasText: 'hearth-test.gguf' })).toBeVisible();
});
