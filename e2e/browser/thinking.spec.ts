/**
 * A reasoning model's thinking in Chromium, against `hearth serve` and the real store: an imported
 * conversation whose answer carries a thought shows it folded away under its own labelled toggle, apart
 * from the answer (on screen, in Copy and in the Markdown export), and after a reload.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { axeViolations } from '../support/axe.js';
import { makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

const THOUGHT =
  'The user asks why the sea has tides.\nThe moon pulls the near side of the ocean harder than the far side.';
const ANSWER = 'Tides come from the **moon’s gravity** pulling on the oceans.';
const PLAIN_ANSWER = 'Tides come from the moon’s gravity pulling on the oceans.';
const FOLLOW_UP_ANSWER = 'About twice a day, roughly every 12 hours and 25 minutes.';

/** A Hearth JSON export (format version 1): two exchanges, the first answer with its thinking. */
function exportWithThinking(): string {
  const base = { createdAt: Date.UTC(2026, 10, 20, 9), status: 'done', citations: [], activeChildId: null };
  const model = { id: 'qwen3-4b.gguf', name: 'Qwen3 4B' };
  return JSON.stringify({
    format: 'hearth.conversation',
    version: 1,
    id: 'tides',
    title: 'Why the sea has tides',
    titleSource: 'user',
    createdAt: base.createdAt,
    updatedAt: base.createdAt,
    pinned: false,
    deletedAt: null,
    presetId: null,
    systemPrompt: '',
    settings: { temperature: 0.7, topK: 40, topP: 0.9, minP: 0.05, maxTokens: null },
    activeRootId: 'q1',
    messages: [
      {
        ...base,
        id: 'q1',
        parentId: null,
        role: 'user',
        text: 'Why does the sea have tides?',
        activeChildId: 'a1',
      },
      {
        ...base,
        id: 'a1',
        parentId: 'q1',
        role: 'assistant',
        text: ANSWER,
        thought: THOUGHT,
        stopReason: 'end',
        model,
        activeChildId: 'q2',
      },
      { ...base, id: 'q2', parentId: 'a1', role: 'user', text: 'How often?', activeChildId: 'a2' },
      {
        ...base,
        id: 'a2',
        parentId: 'q2',
        role: 'assistant',
        text: FOLLOW_UP_ANSWER,
        stopReason: 'end',
        model,
      },
    ],
  });
}

/**
 * What a screen reader is told about an element: Chromium's own accessibility tree, over DevTools
 * (Playwright's role helpers compute roles themselves and give <summary> none).
 */
async function accessibilityOf(
  page: Page,
  selector: string,
): Promise<{ role: string; name: string; expanded: unknown }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const node = nodes[0];
    return {
      role: String(node?.role?.value ?? ''),
      name: String(node?.name?.value ?? ''),
      expanded: node?.properties?.find((property) => property.name === 'expanded')?.value.value,
    };
  } finally {
    await cdp.detach();
  }
}

async function expectFolded(thinking: Locator, toggle: Locator, folded: boolean): Promise<void> {
  if (folded) {
    await expect(thinking).not.toHaveAttribute('open');
    await expect(thinking.getByTestId('thought-text')).toBeHidden();
  } else {
    await expect(thinking).toHaveAttribute('open');
    await expect(thinking.getByTestId('thought-text')).toBeVisible();
  }
  await expect(toggle).toBeVisible();
}

test.describe('thinking', () => {
  let hearth: ServedHearth;
  test.beforeAll(async () => {
    hearth = await serve(await makeHomeWithModels());
  });
  test.afterAll(async () => hearth?.stop());
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('a reasoning model’s thinking is folded away, labelled, and kept apart from the answer', async ({
    page,
  }) => {
    // No colour transitions mid-check: axe must see the theme's final colours.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(hearth.url);
    await page.getByTestId('chat-import-input').setInputFiles({
      name: 'tides.json',
      mimeType: 'application/json',
      buffer: Buffer.from(exportWithThinking()),
    });
    await expect(page.getByTestId('toast')).toContainText('Imported');
    const answers = page.locator('[data-role="assistant"]');
    await expect(answers).toHaveCount(2);
    const answer = answers.first();
    const thinking = answer.getByTestId('message-thought');
    const toggle = thinking.locator('summary');

    // Folded by default, under a toggle that says what it hides, as Chromium tells a screen reader.
    await expectFolded(thinking, toggle, true);
    await expect(toggle).toHaveAccessibleName('Thought process');
    expect(await accessibilityOf(page, '[data-testid="message-thought"] summary')).toEqual({
      role: 'DisclosureTriangle',
      name: 'Thought process',
      expanded: false,
    });
    // Only the answer that has thinking gets the toggle.
    await expect(answers.nth(1).getByTestId('message-thought')).toHaveCount(0);

    // Apart from the answer: the answer's text holds none of the thinking, and comes after it.
    const text = answer.getByTestId('message-text');
    await expect(text).toHaveText(PLAIN_ANSWER);
    await expect(text.locator('strong')).toHaveText('moon’s gravity');
    expect(await text.innerText()).not.toContain('moon pulls');
    const [thinkingBox, textBox] = [await thinking.boundingBox(), await text.boundingBox()];
    expect(thinkingBox && textBox && thinkingBox.y + thinkingBox.height <= textBox.y).toBe(true);

    // Opened and closed by the mouse.
    await toggle.click();
    await expectFolded(thinking, toggle, false);
    await expect(thinking.getByTestId('thought-text')).toHaveText(THOUGHT);
    expect((await accessibilityOf(page, '[data-testid="message-thought"] summary')).expanded).toBe(true);
    await expect(text).toHaveText(PLAIN_ANSWER);
    await toggle.click();
    await expectFolded(thinking, toggle, true);

    // And by the keyboard: the toggle takes the focus, Enter opens, Space closes.
    await toggle.focus();
    await expect(toggle).toBeFocused();
    await page.keyboard.press('Enter');
    await expectFolded(thinking, toggle, false);
    await page.keyboard.press('Space');
    await expectFolded(thinking, toggle, true);

    // Copy answer copies the answer's text only.
    await answer.getByRole('button', { name: 'Copy answer' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(ANSWER);

    // The Markdown export keeps the thinking in its own folded block, before the answer.
    const markdownDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as Markdown' }).click();
    const markdown = await readFile(await (await markdownDownload).path(), 'utf8');
    expect(markdown).toContain(
      `## Assistant (Qwen3 4B)\n\n<details><summary>Thinking</summary>\n\n${THOUGHT}\n\n</details>\n\n${ANSWER}\n`,
    );
    expect(markdown.split('moon pulls')).toHaveLength(2);
    // The JSON export carries it in its own field, for a lossless re-import.
    const jsonDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as JSON' }).click();
    const exported = JSON.parse(await readFile(await (await jsonDownload).path(), 'utf8')) as {
      messages: { role: string; text: string; thought?: string }[];
    };
    expect(exported.messages.filter((m) => m.role === 'assistant').map((m) => [m.text, m.thought])).toEqual([
      [ANSWER, THOUGHT],
      [FOLLOW_UP_ANSWER, undefined],
    ]);

    // After a reload, read back from the store: still there, still apart, folded again.
    await page.reload();
    await page
      .getByTestId('conversation-list')
      .getByTestId('conversation-item')
      .filter({ hasText: 'Why the sea has tides' })
      .getByRole('button')
      .first()
      .click();
    await expect(answers).toHaveCount(2);
    await expectFolded(thinking, toggle, true);
    await expect(text).toHaveText(PLAIN_ANSWER);
    await toggle.click();
    await expect(thinking.getByTestId('thought-text')).toHaveText(THOUGHT);

    // Both themes, folded (as the chat comes back from Settings) and opened: no serious accessibility
    // violations; screenshots to look at.
    for (const theme of ['Light', 'Dark'] as const) {
      await page.getByTestId('nav-settings').click();
      await page.getByLabel(theme).check();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme.toLowerCase());
      await page.getByTestId('nav-chat').click();
      await expectFolded(thinking, toggle, true);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: test.info().outputPath(`thinking-folded-${theme.toLowerCase()}.png`) });
      await toggle.click();
      await expectFolded(thinking, toggle, false);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: test.info().outputPath(`thinking-open-${theme.toLowerCase()}.png`) });
    }
  });
});
