/**
 * A conversation of 2,000 messages in Chromium: it opens at its end, only a window of messages is
 * in the DOM, scrolling to the top brings the first message, and keyboard focus inside a message
 * survives small scrolls.
 */
import { expect, test } from '@playwright/test';
import { END_MARKER, longConversationJson, START_MARKER } from '../../test/support/index.js';
import { makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

test.describe('a long conversation', () => {
  let hearth: ServedHearth;
  test.beforeAll(async () => {
    hearth = await serve(await makeHomeWithModels());
  });
  test.afterAll(async () => hearth?.stop());

  test('2,000 messages: opens at the end, renders a window, scrolls to the first message', async ({
    page,
  }) => {
    await page.goto(hearth.url);
    await page.getByTestId('chat-import-input').setInputFiles({
      name: 'long.json',
      mimeType: 'application/json',
      buffer: Buffer.from(longConversationJson(2000)),
    });
    await expect(page.getByTestId('toast')).toContainText('Imported');
    const list = page.getByTestId('message-list');
    await expect(list.getByText(END_MARKER)).toBeInViewport();
    // A window of messages, not 2,000 of them.
    const rendered = () => list.locator('[data-key]').count();
    expect(await rendered()).toBeLessThan(60);
    await page.screenshot({ path: test.info().outputPath('long-conversation-end.png') });

    // Scrolling up a screen at a time reaches the top (heights are estimated until measured).
    await expect
      .poll(
        async () => {
          await list.evaluate((node) => node.scrollBy(0, -4 * node.clientHeight));
          return list.evaluate((node) => node.scrollTop);
        },
        { timeout: 60_000, intervals: [50] },
      )
      .toBe(0);
    await expect(list.getByText(START_MARKER)).toBeInViewport();
    expect(await rendered()).toBeLessThan(60);

    // Focus on a message's button stays put while the list scrolls a little.
    const copy = list.getByRole('button', { name: 'Copy answer' }).first();
    await copy.focus();
    await list.evaluate((node) => node.scrollBy(0, 3 * node.clientHeight));
    await expect(copy).toBeFocused();
    // Page Down from the keyboard scrolls the list (the focused button's scroll container).
    const before = await list.evaluate((node) => node.scrollTop);
    await page.keyboard.press('PageDown');
    await expect.poll(() => list.evaluate((node) => node.scrollTop)).toBeGreaterThan(before);
  });
});
