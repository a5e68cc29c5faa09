/**
 * Model management as a browser user meets it, through `hearth serve`: the Installed tab with the
 * generated models' metadata, a catalog download from a local stand-in for Hugging Face with live
 * progress, pause and resume, and switching models from the chat header's picker and the Ctrl+K quick
 * switcher while the chat goes on.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ensureTestModel, writeTestLora } from '../../test/support/index.js';
import {
  CATALOG_CHAT_ID,
  CATALOG_CHAT_NAME,
  startCatalogServer,
  type CatalogServer,
} from '../support/catalogServer.js';
import { chooseModel, MODEL_ID } from '../support/chatFlow.js';
import { makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

test.describe.configure({ mode: 'serial' });

let catalog: CatalogServer;
let hearth: ServedHearth;

test.beforeAll(async () => {
  // About 700 KB at 160 KB/s: a few seconds, long enough to see progress and to pause and resume.
  catalog = await startCatalogServer({ bytesPerSecond: 160 * 1024 });
  const home = await makeHomeWithModels();
  await copyFile(
    await ensureTestModel({ seed: 2, name: 'Hearth Second' }),
    join(home, 'models', 'hearth-second.gguf'),
  );
  // A LoRA adapter generated to match the test model's shapes.
  await writeTestLora(join(home, 'models', 'hearth-lora.gguf'));
  hearth = await serve(home, { env: catalog.env });
});

test.afterAll(async () => {
  await hearth?.stop();
  await catalog?.close();
});

async function openModels(page: Page, tab: 'Installed' | 'Discover') {
  await page.getByTestId('nav-models').click();
  await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
  await expect(page.getByRole('tab', { name: new RegExp(`^${tab}`) })).toHaveAttribute(
    'aria-selected',
    'true',
  );
}

/** Sends a message and waits for an answer to start, then stops it (the test model babbles on). */
async function askAndGetAnswer(page: Page, text: string, answerIndex: number) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const answer = page.locator('[data-role="assistant"]').nth(answerIndex);
  await expect
    .poll(async () => (await answer.getByTestId('message-text').innerText()).length)
    .toBeGreaterThan(0);
  // Esc stops it if it still runs (a Stop button can vanish between a visibility check and a click).
  await page.keyboard.press('Escape');
  await expect(answer).toHaveAttribute('data-streaming', 'false');
  return answer;
}

test('the Installed tab lists the generated models with their metadata', async ({ page }) => {
  await page.goto(hearth.url);
  await openModels(page, 'Installed');
  const rows = page.getByTestId('installed-model');
  const testModel = rows.filter({ has: page.getByText('hearth-test.gguf', { exact: true }) });
  await expect(testModel).toContainText('Hearth Test');
  await expect(testModel.getByTestId('model-meta')).toContainText('llama');
  await expect(testModel.getByTestId('model-meta')).toContainText('F32');
  await expect(testModel.getByTestId('model-meta')).toContainText('4,096 context');
  await expect(testModel.getByTestId('model-size')).toHaveText(/\d+(\.\d)? KB/);
  await expect(testModel.getByTestId('model-last-used')).toBeVisible();
  await expect(testModel.getByRole('button', { name: 'Load', exact: true })).toBeEnabled();
  // The file that is not a model says why; Reveal in folder exists only in the desktop app.
  await expect(rows.filter({ hasText: 'notes-not-a-model.gguf' })).toContainText('Not usable');
  await expect(page.getByRole('button', { name: /^Reveal/ })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('models-installed.png') });
});

test('a catalog model downloads with visible progress, pauses, resumes and installs', async ({ page }) => {
  await page.goto(hearth.url);
  await openModels(page, 'Discover');
  const card = page.locator(`[data-entry-id="${CATALOG_CHAT_ID}"]`);
  await expect(card).toContainText(CATALOG_CHAT_NAME);
  await expect(card.getByTestId('commercial-use')).toHaveText('commercial use allowed');
  await expect(page.locator('[data-entry-id="hearth-tiny-embed"]').getByTestId('commercial-use')).toHaveText(
    'no commercial use',
  );
  await expect(card.getByTestId('fit-badge')).toHaveText(
    /runs fully on GPU|partly on GPU|CPU only, slow|will not fit/,
  );

  await card.getByRole('button', { name: `Download ${CATALOG_CHAT_NAME}` }).click();
  const download = card.getByTestId('download');
  await expect(download).toHaveAttribute('data-state', 'downloading');
  await expect(card.getByTestId('download-text')).toContainText(' of ');
  await expect(card.getByTestId('download-progress')).toBeVisible();
  await expect
    .poll(async () => Number(await card.getByTestId('download-progress').getAttribute('aria-valuenow')))
    .toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath('models-discover.png') });

  await card.getByRole('button', { name: 'Pause' }).click();
  await expect(download).toHaveAttribute('data-state', 'paused');
  await expect(card.getByTestId('download-text')).toContainText('Paused');
  const pausedAt = await card.getByTestId('download-progress').getAttribute('aria-valuenow');
  await page.waitForTimeout(600);
  expect(await card.getByTestId('download-progress').getAttribute('aria-valuenow')).toBe(pausedAt);
  await page.screenshot({ path: test.info().outputPath('models-discover-paused.png') });

  await card.getByRole('button', { name: 'Resume' }).click();
  await expect(card.getByText('Installed', { exact: true })).toBeVisible({ timeout: 30_000 });

  await openModels(page, 'Installed');
  await expect(page.getByTestId('installed-model').filter({ hasText: CATALOG_CHAT_NAME })).toBeVisible();
});

test('a download whose bytes are corrupted fails verification, says so, and installs nothing', async ({
  page,
}) => {
  catalog.server.faults.corrupt = true;
  catalog.server.faults.bytesPerSecond = undefined;
  try {
    await page.goto(hearth.url);
    await openModels(page, 'Discover');
    const card = page.locator('[data-entry-id="hearth-tiny-embed"]');
    await card.getByRole('button', { name: 'Download Hearth Tiny Embed' }).click();
    await expect(card.getByTestId('download')).toHaveAttribute('data-state', 'failed');
    await expect(card.getByRole('alert')).toContainText('The download failed verification');
    await expect(card.getByRole('button', { name: 'Try again' })).toBeVisible();
    // The neighbour in the row grows to the same height, but its text stays together: the extra room
    // goes above its actions, not between its description and its facts.
    const neighbour = page.locator(`[data-entry-id="${CATALOG_CHAT_ID}"]`);
    expect((await neighbour.boundingBox())?.height).toBe((await card.boundingBox())?.height);
    const descriptionToFacts = await neighbour.evaluate((element) => {
      const description = element.querySelector('.description')?.getBoundingClientRect();
      const facts = element.querySelector('.facts')?.getBoundingClientRect();
      return (facts?.top ?? 0) - (description?.bottom ?? 0);
    });
    expect(descriptionToFacts).toBeLessThan(16);
    await page.screenshot({ path: test.info().outputPath('models-download-failed.png') });
    await openModels(page, 'Installed');
    await expect(page.getByTestId('installed-model').filter({ hasText: 'Hearth Tiny Embed' })).toHaveCount(0);
  } finally {
    catalog.server.faults.corrupt = false;
  }
});

test('a .gguf is imported with the Import button, and the same file dropped again is refused', async ({
  page,
}) => {
  const file = await ensureTestModel({ seed: 5, name: 'Hearth Imported' });
  await page.goto(hearth.url);
  await openModels(page, 'Installed');
  // In a browser the bytes go to the host's upload route, which runs the core's import.
  await page.getByTestId('model-import-input').setInputFiles({
    name: 'hearth-imported.gguf',
    mimeType: 'application/octet-stream',
    buffer: await readFile(file),
  });
  await expect(page.getByTestId('models-notice')).toContainText('Imported Hearth Imported');
  const imported = page.getByTestId('installed-model').filter({ hasText: 'Hearth Imported' });
  await expect(imported).toContainText('hearth-imported.gguf');

  // Dragging a file over the window shows where to drop it; dropping the same model again is refused.
  const base64 = (await readFile(file)).toString('base64');
  const transfer = await page.evaluateHandle((data) => {
    const bytes = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File([bytes], 'copy-of-imported.gguf'));
    return dataTransfer;
  }, base64);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-overlay')).toBeHidden();
  await expect(page.getByTestId('models-error')).toContainText('already installed');
  await expect(page.getByTestId('installed-model').filter({ hasText: 'copy-of-imported' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('models-import-refused.png') });
});

test('switching from the picker and the quick switcher keeps the chat going', async ({ page }) => {
  await page.goto(hearth.url);
  await chooseModel(page, MODEL_ID);
  await askAndGetAnswer(page, 'Tell me about lanterns.', 0);

  // Ctrl+K, type to filter, arrows and Enter: one action.
  await page.keyboard.press('Control+k');
  const switcher = page.getByRole('combobox', { name: 'Switch model' });
  await expect(switcher).toBeFocused();
  await switcher.fill('second');
  await expect(page.getByTestId('quick-switcher').getByRole('option')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('quick-switcher.png') });
  await switcher.press('Enter');
  await expect(page.getByTestId('quick-switcher')).toBeHidden();
  const picker = page.getByLabel('Model', { exact: true });
  await expect(picker).toHaveValue('hearth-second.gguf');
  await expect(page.getByTestId('model-status')).toBeVisible();

  // The transcript stays and says where the switch happened; the next answer comes from the new model.
  await expect(page.locator('[data-role="user"]')).toHaveCount(1);
  await expect(
    page.getByText('Switched to Hearth Second. The conversation continues with it.'),
  ).toBeVisible();
  await askAndGetAnswer(page, 'And then?', 1);
  await expect(page.locator('[data-role="user"]')).toHaveCount(2);

  // Arrows move the highlight (wrapping); Esc closes the switcher without switching.
  await page.keyboard.press('Control+k');
  await expect(switcher).toBeFocused();
  const options = page.getByTestId('quick-switcher').getByRole('option');
  const count = await options.count();
  expect(count).toBeGreaterThanOrEqual(2);
  const selectedIndex = async () => {
    for (let index = 0; index < count; index += 1) {
      if ((await options.nth(index).getAttribute('aria-selected')) === 'true') return index;
    }
    return -1;
  };
  const start = await selectedIndex();
  await page.keyboard.press('ArrowDown');
  expect(await selectedIndex()).toBe((start + 1) % count);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  expect(await selectedIndex()).toBe((start - 1 + count) % count);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('quick-switcher')).toBeHidden();
  await expect(picker).toHaveValue('hearth-second.gguf');

  // Back through the picker.
  await chooseModel(page, MODEL_ID);
  await askAndGetAnswer(page, 'One more.', 2);
  await page.screenshot({ path: test.info().outputPath('switched-chat.png') });
});

test('per-model settings are validated, saved, and reset to defaults', async ({ page }) => {
  await page.goto(hearth.url);
  await openModels(page, 'Installed');
  const row = page
    .getByTestId('installed-model')
    .filter({ has: page.getByText('hearth-test.gguf', { exact: true }) });
  await row.getByRole('button', { name: /^Settings for/ }).click();
  const dialog = page.getByTestId('model-settings');
  const temperature = dialog.getByRole('textbox', { name: 'Temperature' });
  await expect(temperature).toBeVisible();

  await temperature.fill('-1');
  await dialog.getByRole('textbox', { name: 'Context size' }).fill('999999');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toContainText('Temperature cannot be negative.');
  await expect(dialog).toContainText('This model was trained for at most 4,096 tokens of context.');
  await page.screenshot({ path: test.info().outputPath('model-settings-invalid.png') });

  await temperature.fill('0.3');
  await dialog.getByRole('textbox', { name: 'Context size' }).fill('2048');
  // A LoRA adapter from the models folder, attached with a scale.
  await dialog.getByLabel('Adapter to attach').selectOption({ label: 'hearth-lora.gguf' });
  await dialog.getByRole('button', { name: 'Attach' }).click();
  await dialog.getByRole('textbox', { name: 'Scale of hearth-lora.gguf' }).fill('0.5');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('model-adapters')).toContainText('hearth-lora.gguf × 0.5');

  // The model loads with its adapter attached (the switching test left it loaded without one).
  const unload = row.getByRole('button', { name: 'Unload', exact: true });
  if (await unload.isVisible()) await unload.click();
  await row.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(row).toContainText('Loaded');
  await page.screenshot({ path: test.info().outputPath('models-installed-lora.png') });

  await row.getByRole('button', { name: /^Settings for/ }).click();
  await expect(temperature).toHaveValue('0.3');
  await expect(dialog.getByRole('textbox', { name: 'Context size' })).toHaveValue('2048');
  await dialog.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Context size' })).toHaveValue('');
  await expect(dialog.getByRole('textbox', { name: 'Scale of hearth-lora.gguf' })).toHaveCount(0);
  await expect(temperature).not.toHaveValue('0.3');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('model-adapters')).toHaveCount(0);
});

test('deleting the loaded model unloads it first and removes it from the list', async ({ page }) => {
  await page.goto(hearth.url);
  await chooseModel(page, 'hearth-second.gguf');
  await openModels(page, 'Installed');
  const row = page
    .getByTestId('installed-model')
    .filter({ has: page.getByText('hearth-second.gguf', { exact: true }) });
  await expect(row).toContainText('Loaded');
  await row.getByRole('button', { name: /^Delete/ }).click();
  const dialog = page.getByTestId('delete-dialog');
  await expect(dialog).toContainText('It is loaded now: Hearth unloads it first.');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('models-notice')).toContainText('Deleted Hearth Second');
  await expect(page.getByTestId('sidebar-model')).toContainText('No model loaded');
});
