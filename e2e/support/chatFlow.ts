/**
 * The chat flow shared by the browser (headless host) and Electron end-to-end specs: the same UI, the same
 * steps, whatever carries the contract underneath.
 */
import { expect, type Page, type TestInfo } from '@playwright/test';

export const MODEL_ID = 'hearth-test.gguf';

/** Chooses a model in the chat header's picker and waits until it is loaded. */
export async function chooseModel(page: Page, modelId: string): Promise<void> {
  const picker = page.getByLabel('Model', { exact: true });
  await expect(picker).toBeEnabled();
  await picker.selectOption(modelId);
  await expect(page.getByTestId('model-status')).toBeVisible();
  await expect(picker).toHaveValue(modelId);
  await expect(picker).toBeEnabled();
}

/** Starts recording every distinct length the newest answer's text takes, straight from the DOM. */
async function recordAnswerLengths(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const lengths: number[] = [];
    (window as unknown as { answerLengths: number[] }).answerLengths = lengths;
    new MutationObserver(() => {
      const answers = document.querySelectorAll('[data-role="assistant"] [data-testid="message-text"]');
      const length = answers[answers.length - 1]?.textContent?.length ?? 0;
      if (length > 0 && length !== lengths[lengths.length - 1]) lengths.push(length);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { answerLengths: number[] }).answerLengths.length);
}

/**
 * Sends a question, watches the answer grow in at least three steps, stops it, checks that the partial
 * answer stays, then asks a follow-up in the same conversation. Saves screenshots as it goes.
 */
export async function streamStopAndFollowUp(page: Page, testInfo: TestInfo, prefix: string): Promise<void> {
  const answerSteps = await recordAnswerLengths(page);
  const message = page.getByLabel('Message', { exact: true });
  const send = page.getByRole('button', { name: 'Send', exact: true });
  const stop = page.getByRole('button', { name: 'Stop', exact: true });

  await message.fill('Tell me a story about a fox who finds a lantern.');
  await send.click();

  const answers = page.locator('[data-role="assistant"]');
  const firstAnswer = answers.first();
  await expect(firstAnswer).toHaveAttribute('data-streaming', 'true');
  await expect.poll(answerSteps).toBeGreaterThanOrEqual(3);
  await page.screenshot({ path: testInfo.outputPath(`${prefix}-streaming.png`) });

  await stop.click();
  await expect(firstAnswer).toHaveAttribute('data-streaming', 'false');
  await expect(firstAnswer.getByTestId('stopped-tag')).toBeVisible();
  const firstText = firstAnswer.getByTestId('message-text');
  const stoppedText = await firstText.innerText();
  expect(stoppedText.length).toBeGreaterThan(0);
  // Stopped means stopped: nothing more arrives afterwards.
  await page.waitForTimeout(500);
  expect(await firstText.innerText()).toBe(stoppedText);
  await page.screenshot({ path: testInfo.outputPath(`${prefix}-stopped.png`) });

  await message.fill('And then what happened?');
  await send.click();
  await expect(page.locator('[data-role="user"]')).toHaveCount(2);
  await expect(answers).toHaveCount(2);
  const secondText = answers.nth(1).getByTestId('message-text');
  await expect.poll(async () => (await secondText.innerText()).length).toBeGreaterThan(0);
  // Esc stops it if it still runs (the Stop button can vanish between a visibility check and a click).
  await page.keyboard.press('Escape');
  await expect(answers.nth(1)).toHaveAttribute('data-streaming', 'false');
  expect(await firstText.innerText()).toBe(stoppedText);
  await page.screenshot({ path: testInfo.outputPath(`${prefix}-follow-up.png`) });
}
