/**
 * Conversations end to end in Chromium, against `hearth serve` with the real store and the real model
 * runtime: create chats, find them, regenerate and page answers, edit and resend, export and re-import,
 * switch themes, drive it all from the keyboard, and check the main screens with axe-core.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { axeViolations } from '../support/axe.js';
import { chooseModel, MODEL_ID } from '../support/chatFlow.js';
import { makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

/** Sends a message and waits for the answer to end (stopping it after a moment: the test model rambles). */
async function ask(page: Page, text: string): Promise<void> {
  const answers = page.locator('[data-role="assistant"]');
  const before = await answers.count();
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await expect(answers).toHaveCount(before + 1);
  await finishAnswer(page);
}

/** Waits for the streaming answer, stopping it once some text has arrived. */
async function finishAnswer(page: Page): Promise<void> {
  const streaming = page.locator('[data-role="assistant"][data-streaming="true"]');
  const last = page.locator('[data-role="assistant"]').last();
  await expect.poll(async () => (await last.getByTestId('message-text').count()) > 0).toBe(true);
  // Esc stops a running answer and does nothing once it has ended (the Stop button may vanish
  // between a visibility check and a click, and a click on it would then wait out the test).
  await page.keyboard.press('Escape');
  await expect(streaming).toHaveCount(0);
  // The path is re-read from the store after each turn; its actions appear once it is.
  await expect(last.getByRole('button', { name: 'Copy answer' })).toBeVisible();
}

test.describe('conversations', () => {
  test.describe.configure({ mode: 'serial' });
  let hearth: ServedHearth;
  test.beforeAll(async () => {
    hearth = await serve(await makeHomeWithModels());
  });
  test.afterAll(async () => hearth?.stop());

  test('create chats, find one by its words, regenerate and page the answers, edit and resend', async ({
    page,
  }) => {
    await page.goto(hearth.url);
    await chooseModel(page, MODEL_ID);
    const list = page.getByTestId('conversation-list');

    await ask(page, 'Tell me about a quiet harbour town');
    await expect(list.getByTestId('conversation-item')).toHaveCount(1);
    await expect(list).toContainText(/harbour/i);

    // A second chat from the keyboard shortcut.
    await page.keyboard.press('Control+n');
    await expect(page.locator('[data-role="user"]')).toHaveCount(0);
    await ask(page, 'Describe a lantern festival');
    await expect(list.getByTestId('conversation-item')).toHaveCount(2);
    // Newest first, under Today.
    await expect(list.getByTestId('conversation-item').first()).toContainText(/lantern/i);
    await expect(list).toContainText('Today');

    // Search finds the first chat by a word of its message and opens it.
    await page.getByLabel('Search chats').fill('harbour');
    const results = page.getByTestId('search-results');
    await expect(results.getByRole('button')).not.toHaveCount(0);
    await expect(results.locator('mark').first()).toHaveText(/harbour/i);
    await results.getByRole('button').first().click();
    await expect(page.locator('[data-role="user"]').first()).toContainText('quiet harbour town');
    await page.getByLabel('Search chats').fill('');
    await expect(list).toBeVisible();

    // Regenerate keeps the first answer as an alternative: "2/2", then page back to "1/2".
    const firstAnswer = await page
      .locator('[data-role="assistant"]')
      .last()
      .getByTestId('message-text')
      .innerText();
    await page.getByRole('button', { name: 'Regenerate answer' }).click();
    await finishAnswer(page);
    const answer = page.locator('[data-role="assistant"]').last();
    await expect(answer.getByTestId('sibling-count')).toHaveText('2/2');
    await answer.getByRole('button', { name: 'Previous answer' }).click();
    await expect(page.locator('[data-role="assistant"]').last().getByTestId('sibling-count')).toHaveText(
      '1/2',
    );
    await expect(page.locator('[data-role="assistant"]').last().getByTestId('message-text')).toHaveText(
      firstAnswer,
    );

    // Edit the question and resend: a new branch, with the old one a click away.
    await page.getByRole('button', { name: 'Edit message' }).click();
    const editor = page.getByLabel('Edit message', { exact: true });
    await editor.fill('Tell me about a busy harbour city');
    await editor.press('Enter');
    await finishAnswer(page);
    const question = page.locator('[data-role="user"]').first();
    await expect(question.getByTestId('user-text')).toHaveText('Tell me about a busy harbour city');
    await expect(question.getByTestId('sibling-count')).toHaveText('2/2');
    await question.getByRole('button', { name: 'Previous message' }).click();
    await expect(page.locator('[data-role="user"]').first().getByTestId('user-text')).toHaveText(
      'Tell me about a quiet harbour town',
    );
    await expect(page.locator('[data-role="assistant"]').last().getByTestId('sibling-count')).toHaveText(
      '1/2',
    );
    await expect(page.getByTestId('context-usage')).toContainText('tokens');

    // Continue carries a stopped answer on in the same message.
    const stopped = page.locator('[data-role="assistant"]').last();
    const stoppedLength = (await stopped.getByTestId('message-text').innerText()).length;
    await stopped.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(async () => (await stopped.getByTestId('message-text').innerText()).length)
      .toBeGreaterThan(stoppedLength);
    // Esc stops a running answer and does nothing once it has ended (the Stop button may vanish
    // between a visibility check and a click, and a click on it would then wait out the test).
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-role="assistant"][data-streaming="true"]')).toHaveCount(0);
    await expect(page.locator('[data-role="assistant"]')).toHaveCount(1);
  });

  test('rename, pin, delete with undo', async ({ page }) => {
    await page.goto(hearth.url);
    const items = page.getByTestId('conversation-list').getByTestId('conversation-item');
    await expect(items).toHaveCount(2);
    const lantern = items.filter({ hasText: /lantern/i });
    await lantern.hover();
    await lantern.getByRole('button', { name: /^Rename/ }).click();
    await page.getByLabel('Rename chat').fill('Festival notes');
    await page.getByLabel('Rename chat').press('Enter');
    await expect(items.filter({ hasText: 'Festival notes' })).toHaveCount(1);

    const harbour = items.filter({ hasText: /harbour/i });
    await harbour.hover();
    await harbour.getByRole('button', { name: /^Pin/ }).click();
    await expect(page.getByTestId('conversation-list')).toContainText('Pinned');
    await expect(items.first()).toContainText(/harbour/i);

    const festival = items.filter({ hasText: 'Festival notes' });
    await festival.hover();
    await festival.getByRole('button', { name: /^Delete/ }).click();
    await expect(items).toHaveCount(1);
    await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click();
    await expect(items).toHaveCount(2);
  });

  test('export as Markdown and JSON, import it again, and imported Markdown stays inert', async ({
    page,
  }) => {
    await page.goto(hearth.url);
    const items = page.getByTestId('conversation-list').getByTestId('conversation-item');
    await items.filter({ hasText: 'Festival notes' }).getByRole('button').first().click();
    await expect(page.locator('[data-role="assistant"]')).toHaveCount(1);

    const markdownDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as Markdown' }).click();
    const markdown = await readFile(await (await markdownDownload).path(), 'utf8');
    expect(markdown).toContain('# Festival notes');
    expect(markdown).toContain('Describe a lantern festival');

    const jsonDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as JSON' }).click();
    const json = await readFile(await (await jsonDownload).path(), 'utf8');

    await page.getByTestId('chat-import-input').setInputFiles({
      name: 'festival.json',
      mimeType: 'application/json',
      buffer: Buffer.from(json),
    });
    await expect(page.getByTestId('toast')).toContainText('Imported');
    await expect(items).toHaveCount(3);
    await expect(page.locator('[data-role="user"]').first()).toContainText('Describe a lantern festival');

    // An export edited to carry script payloads imports, and shows them as text.
    const crafted = JSON.parse(json) as {
      title: string;
      messages: { role: string; text: string; model?: { id: string; name: string } }[];
    };
    crafted.title = 'Crafted';
    for (const message of crafted.messages) {
      if (message.role === 'assistant') {
        // Written by a model that is no longer in the models folder.
        message.model = { id: 'deleted-model.gguf', name: 'Deleted Model' };
        message.text = [
          '# Payloads',
          '<script>window.pwned = 1</script>',
          '<img src=x onerror="window.pwned = 2">',
          '[click me](javascript:window.pwned=3)',
          '| a | b |\n|---|---|\n| <b onclick="window.pwned=4">x</b> | y |',
          '```js\nconst open = "fence never closes";',
        ].join('\n\n');
      }
    }
    await page.getByTestId('chat-import-input').setInputFiles({
      name: 'crafted.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(crafted)),
    });
    const text = page.locator('[data-role="assistant"]').last().getByTestId('message-text');
    await expect(text.locator('h1')).toHaveText('Payloads');
    await expect(text).toContainText('<script>window.pwned = 1</script>');
    await expect(text.locator('script, img, [onerror], [onclick], a[href^="javascript"]')).toHaveCount(0);
    await expect(text.locator('.code-block code')).toContainText('fence never closes');
    await expect(page.getByTestId('missing-model')).toContainText('Deleted Model');
    await page.screenshot({ path: test.info().outputPath('markdown-payloads.png') });
    await text.getByText('click me').click();
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

    // A file that is not an export is refused with a clear message and changes nothing.
    await page.getByTestId('chat-import-input').setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"hello": '),
    });
    await expect(page.getByTestId('toast')).toContainText('Could not import notes.json');
    await expect(items).toHaveCount(4);
  });

  test('a JSON export dropped anywhere on the window is imported as a chat, not added to the library', async ({
    page,
  }) => {
    await page.goto(hearth.url);
    const items = page.getByTestId('conversation-list').getByTestId('conversation-item');
    await items.filter({ hasText: 'Festival notes' }).first().getByRole('button').first().click();
    await expect(page.locator('[data-role="assistant"]')).toHaveCount(1);
    const jsonDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as JSON' }).click();
    const json = await readFile(await (await jsonDownload).path(), 'utf8');
    const before = await items.count();

    // Dropped on the Models view: the overlay speaks of importing, and the drop lands in the chats.
    await page.getByTestId('nav-models').click();
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'dropped-festival.json', { type: 'application/json' }));
      return data;
    }, json);
    const target = page.locator('main');
    await target.dispatchEvent('dragenter', { dataTransfer: transfer });
    await target.dispatchEvent('dragover', { dataTransfer: transfer });
    await expect(page.getByTestId('drop-overlay')).toContainText('Drop a Hearth JSON export to import it');
    await page.screenshot({ path: test.info().outputPath('chat-import-drop-overlay.png') });
    await target.dispatchEvent('drop', { dataTransfer: transfer });
    await expect(page.getByTestId('drop-overlay')).toBeHidden();
    await expect(page.getByTestId('toast')).toContainText('Imported “Festival notes”');
    await expect(items).toHaveCount(before + 1);
    await expect(page.locator('[data-role="user"]').first()).toContainText('Describe a lantern festival');
    await expect(page.getByTestId('library-view')).toHaveCount(0);
  });

  test('light and dark themes, with no serious accessibility violations on the main screens', async ({
    page,
  }) => {
    // No colour transitions mid-check: axe must see the theme's final colours.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(hearth.url);
    await page
      .getByTestId('conversation-list')
      .getByTestId('conversation-item')
      .first()
      .getByRole('button')
      .first()
      .click();
    await expect(page.locator('[data-role="assistant"]').first()).toBeVisible();

    await page.getByTestId('nav-settings').click();
    await page.getByLabel('Light').check();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('settings-light.png') });

    await page.getByLabel('Dark').check();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('settings-dark.png') });

    // The choice is remembered across a reload.
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page
      .getByTestId('conversation-list')
      .getByTestId('conversation-item')
      .first()
      .getByRole('button')
      .first()
      .click();
    await expect(page.locator('[data-role="assistant"]').first()).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('chat-dark.png') });

    await page.getByTestId('nav-models').click();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('nav-settings').click();
    await page.getByLabel('Light').check();
    await page.getByTestId('nav-chat').click();
    await expect(page.locator('[data-role="assistant"]').first()).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: test.info().outputPath('chat-light.png') });
  });

  test('a preset made in Settings starts a chat in one click', async ({ page }) => {
    await page.goto(hearth.url);
    await page.getByTestId('nav-settings').click();
    const form = page.getByRole('form', { name: 'Edit preset' });
    await expect(form.getByLabel('Name')).toHaveValue(/.+/);
    await page.getByRole('button', { name: 'New preset' }).click();
    const create = page.getByRole('form', { name: 'New preset' });
    await create.getByLabel('Name').fill('Storyteller');
    await create.getByLabel('System prompt').fill('You tell short stories.');
    await create.getByLabel('Temperature').fill('1.1');
    await create.getByRole('button', { name: 'Save preset' }).click();
    await expect(page.getByRole('list', { name: 'Presets' })).toContainText('Storyteller');

    await page.getByTestId('nav-chat').click();
    await page.getByTestId('new-chat').click();
    const items = page.getByTestId('conversation-list').getByTestId('conversation-item');
    const before = await items.count();
    await page.getByTestId('preset-start').filter({ hasText: 'Storyteller' }).click();
    await expect(items).toHaveCount(before + 1);
    await ask(page, 'Once upon a time');
    await expect(page.locator('[data-role="assistant"]')).toHaveCount(1);
  });

  test('keyboard only: new chat, send, stop, find and open a chat', async ({ page }) => {
    await page.goto(hearth.url);
    await expect(page.getByTestId('model-status')).toBeVisible();
    await page.keyboard.press('Control+n');
    await expect(page.getByLabel('Message', { exact: true })).toBeFocused();
    await page.keyboard.type('A story about keyboards');
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-role="assistant"][data-streaming="true"]')).toHaveCount(1);
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-role="assistant"][data-streaming="true"]')).toHaveCount(0);

    await page.keyboard.press('Control+Shift+F');
    await expect(page.getByLabel('Search chats')).toBeFocused();
    await page.keyboard.type('harbour');
    await expect(page.getByTestId('search-results').getByRole('button')).not.toHaveCount(0);
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('search-results').getByRole('button').first()).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-role="user"]').first()).toContainText(/harbour/);

    // Every control reached by Tab shows where the focus is.
    await page.keyboard.press('Escape');
    for (let step = 0; step < 12; step += 1) {
      await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return 'body';
        const style = getComputedStyle(element);
        return style.outlineStyle !== 'none' && style.outlineWidth !== '0px'
          ? 'outline'
          : `none:${element.outerHTML.slice(0, 80)}`;
      });
      expect(outline === 'outline' || outline === 'body', outline).toBe(true);
    }
  });
});
