/**
 * The product end to end as a browser user meets it: `hearth serve` with a temporary HEARTH_HOME, the
 * printed address opened in Chromium, and the chat used through the real UI and the real model runtime.
 */
import { expect, test } from '@playwright/test';
import { chooseModel, MODEL_ID, streamStopAndFollowUp } from '../support/chatFlow.js';
import { makeEmptyHome, makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

test.describe('with no model installed', () => {
  let hearth: ServedHearth;
  test.beforeAll(async () => {
    hearth = await serve(await makeEmptyHome());
  });
  test.afterAll(async () => hearth?.stop());

  test('the empty state says where to put a .gguf file', async ({ page }) => {
    await page.goto(hearth.url);
    const empty = page.getByTestId('empty-state');
    await expect(empty).toBeVisible();
    await expect(empty).toContainText('.gguf');
    await expect(empty).toContainText(`${hearth.home}/models`);
    await page.screenshot({ path: test.info().outputPath('browser-empty-state.png') });
  });
});

test.describe('with a model in the models folder', () => {
  test.describe.configure({ mode: 'serial' });
  let hearth: ServedHearth;
  test.beforeAll(async () => {
    hearth = await serve(await makeHomeWithModels());
  });
  test.afterAll(async () => hearth?.stop());

  test('nothing is served without the token', async ({ request }) => {
    const origin = new URL(hearth.url).origin;
    const response = await request.get(`${origin}/`);
    expect(response.status()).toBe(401);
    expect(await response.text()).not.toContain('<script type="module"');
  });

  test('choose a model, stream an answer, stop it, ask a follow-up', async ({ page }) => {
    await page.goto(hearth.url);
    // The file that is not a model is listed but cannot be chosen.
    const picker = page.getByLabel('Model', { exact: true });
    await expect(picker.locator('option', { hasText: 'notes-not-a-model' })).toBeDisabled();
    await page.screenshot({ path: test.info().outputPath('browser-pick-model.png') });

    await chooseModel(page, MODEL_ID);
    await streamStopAndFollowUp(page, test.info(), 'browser');
  });

  test('sending with no model loaded, or an empty message, gets a clear answer', async ({ page }) => {
    await page.goto(hearth.url);
    const picker = page.getByLabel('Model', { exact: true });
    await expect(picker).toBeEnabled();
    // The model from the previous test is still loaded in this host; unload it first.
    if ((await picker.inputValue()) !== '') await picker.selectOption({ label: 'Unload model' });
    await expect(page.getByTestId('model-status')).toBeHidden();
    await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
  });
});
