/**
 * Live answers whose content matters, as a browser user meets them against `hearth serve`: the chat
 * model is the scripted test model, which thinks "Checking the notes", then answers "The keeper is
 * Marguerite [1], not Ann [7]." and ends by itself. So a citation chip is rendered from an answer
 * streamed in this session (not a stored or imported one) and opens the passage behind it, a made-up
 * number stays text, and a reasoning model's thinking streams apart from the answer, shown folded.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page, type WebSocketRoute } from '@playwright/test';
import {
  ensureScriptedModel,
  ensureTestEmbeddingModel,
  KEEPER_ANSWER,
  KEEPER_SCRIPT,
} from '../../test/support/index.js';
import { axeViolations } from '../support/axe.js';
import { chooseModel } from '../support/chatFlow.js';
import { addFilesToNewCollection } from '../support/libraryFlow.js';
import { makeHomeWithModels, serve, type ServedHearth } from '../support/serve.js';

const SCRIPTED_ID = 'hearth-scripted.gguf';
/** As the grounded answer reads: [1] is the chip "1"; no source 7, so the made-up [7] stays text. */
const CITED = 'The keeper is Marguerite 1, not Ann [7].';

/** The keeper's name is only in the lighthouse note. */
const notes = {
  'market.md': '# The winter market\n\nTraders sold honey, wool and smoked fish on the frozen pond.\n',
  'lighthouse.md': [
    '# The lighthouse on Gull Point',
    '',
    'The lighthouse keeper on Gull Point is called Marguerite Okonkwo-Lindqvist.',
  ].join('\n'),
};

/** What the host sends the page over its WebSocket (electron/common/api/wire.ts). */
interface ServerMessage {
  type: 'result' | 'error' | 'event';
  event?: string;
  result?: { stopReason?: string };
}

/**
 * Passes the app's WebSocket through, and can hold what the host sends from the first message a
 * predicate picks until released: the page then shows the answer exactly as it is at that point of
 * the stream, however fast the model wrote it. (Holding is on the wire; the host and the page run
 * as they do for a user.)
 */
async function gateSocket(page: Page) {
  let pick: ((message: ServerMessage) => boolean) | null = null;
  let onReached = () => {};
  const held: Array<{ socket: WebSocketRoute; text: string }> = [];
  await page.routeWebSocket(
    () => true,
    (socket) => {
      const server = socket.connectToServer();
      server.onMessage((message) => {
        const text = message.toString();
        if (held.length === 0) {
          if (!pick?.(JSON.parse(text) as ServerMessage)) {
            socket.send(text);
            return;
          }
          onReached();
        }
        held.push({ socket, text });
      });
    },
  );
  return {
    /** Holds from the first message `predicate` picks; resolves when it arrives. */
    holdFrom(predicate: (message: ServerMessage) => boolean): Promise<void> {
      return new Promise<void>((resolve) => {
        pick = predicate;
        onReached = resolve;
      });
    },
    /** Sends what was held, in order, and passes everything through again. */
    release(): void {
      pick = null;
      for (const { socket, text } of held.splice(0)) socket.send(text);
    },
  };
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}

/** The answer ends by itself: no Stop pressed, neither stopped nor cut at the length limit. */
async function expectEndedByItself(answer: Locator): Promise<void> {
  await expect(answer).toHaveAttribute('data-streaming', 'false');
  await expect(answer.getByRole('button', { name: 'Copy answer' })).toBeVisible();
  await expect(answer.getByTestId('stopped-tag')).toHaveCount(0);
  await expect(answer.getByText('Length limit')).toHaveCount(0);
}

test.describe('live answers from a scripted model', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let hearth: ServedHearth;
  let folder: string;

  test.beforeAll(async () => {
    const home = await makeHomeWithModels();
    const scripted = await ensureScriptedModel({ script: KEEPER_SCRIPT, name: 'Hearth Scripted' });
    await copyFile(scripted, join(home, 'models', SCRIPTED_ID));
    hearth = await serve(home, {
      env: {
        HEARTH_EMBED_MODEL: await ensureTestEmbeddingModel(),
        // The generated embedder's vectors mean nothing: only a word match makes a passage relevant.
        HEARTH_MIN_VECTOR_SIMILARITY: '0.95',
      },
    });
    folder = await mkdtemp(join(tmpdir(), 'hearth-e2e-live-'));
    for (const [name, text] of Object.entries(notes)) await writeFile(join(folder, name), text);
  });

  test.afterAll(async () => {
    await hearth?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('a grounded answer streams, ends by itself, and its live citation chip opens the passage', async ({
    page,
  }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const gate = await gateSocket(page);
    await page.goto(hearth.url);

    await addFilesToNewCollection(
      page,
      'Coast notes',
      Object.keys(notes).map((name) => join(folder, name)),
    );

    await page.getByTestId('nav-chat').click();
    await chooseModel(page, SCRIPTED_ID);
    await page.getByRole('button', { name: 'Answer from documents' }).click();
    await page.getByTestId('attach-panel').getByLabel('Coast notes').check();
    await expect(page.getByTestId('attached-collection').filter({ hasText: 'Coast notes' })).toBeVisible();
    await page.keyboard.press('Escape');

    // The whole answer streams in; its end (the call's result) is held back on the wire.
    const streamed = gate.holdFrom((message) => message.type === 'result' && !!message.result?.stopReason);
    await send(page, 'Who is the lighthouse keeper on Gull Point?');
    await streamed;
    const answer = page.locator('[data-role="assistant"]').last();
    await expect(answer).toHaveAttribute('data-streaming', 'true');
    const text = answer.getByTestId('message-text');
    // Mid-stream, "[1]" is already the chip for source 1 (its text is the number), and the
    // made-up "[7]" is only text.
    await expect(text).toHaveText(CITED);
    const chip = text.locator('button.cite');
    await expect(chip).toHaveCount(1);
    await expect(chip).toHaveAccessibleName('Source 1');
    // The thinking is not part of the answer.
    await expect(text).not.toContainText('Checking');
    await page.screenshot({ path: test.info().outputPath('live-cited-streaming.png') });

    gate.release();
    await expectEndedByItself(answer);
    await expect(text).toHaveText(CITED);
    await expect(text.locator('[data-cite="7"]')).toHaveCount(0);
    await expect(chip).toHaveAccessibleName('Source 1');
    await expect(answer.getByTestId('sources-list')).toContainText('lighthouse.md');
    await page.screenshot({ path: test.info().outputPath('live-cited-answer.png') });

    await chip.click();
    const card = page.getByTestId('citation-card');
    await expect(card).toBeFocused();
    await expect(card.getByRole('heading')).toContainText('lighthouse.md');
    await expect(card.getByTestId('citation-location')).toContainText('The lighthouse on Gull Point');
    await expect(card.getByTestId('citation-passage')).toContainText('Marguerite Okonkwo-Lindqvist');
    await expect(card).toHaveAttribute('data-state', 'available');
    await page.screenshot({ path: test.info().outputPath('live-cited-passage.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(card).toBeHidden();
    await expect(chip).toBeFocused();
  });

  test('a reasoning model’s thinking streams apart from the answer and shows folded', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const gate = await gateSocket(page);
    await page.goto(hearth.url);
    // A new chat with no collection: an ordinary answer.
    await page.keyboard.press('Control+n');
    await chooseModel(page, SCRIPTED_ID);
    await expect(page.getByRole('button', { name: 'Answer from documents' })).toBeVisible();
    await expect(page.getByTestId('attached-collection')).toHaveCount(0);

    // The thinking streams in; the answer's first words are held back on the wire.
    const thinking = gate.holdFrom((message) => message.type === 'event' && message.event === 'chat.delta');
    await send(page, 'Who keeps the lighthouse?');
    await thinking;
    const answer = page.locator('[data-role="assistant"]').last();
    await expect(answer).toHaveAttribute('data-streaming', 'true');
    const thought = answer.getByTestId('message-thought');
    // Live: folded under "Thinking…", no answer text yet; unfolded, the thinking so far.
    await expect(thought.locator('summary')).toHaveText('Thinking…');
    await expect(thought).not.toHaveAttribute('open');
    await expect(thought.getByText('Checking the notes')).toBeHidden();
    await expect(answer.getByTestId('message-text')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('live-thinking.png') });
    await thought.locator('summary').click();
    await expect(thought.getByText('Checking the notes')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('live-thinking-open.png') });
    await thought.locator('summary').click();
    await expect(thought).not.toHaveAttribute('open');

    gate.release();
    await expectEndedByItself(answer);
    // Folded: the summary shows, the thinking does not, and the answer holds none of it.
    await expect(thought).not.toHaveAttribute('open');
    await expect(thought.locator('summary')).toHaveText('Thought process');
    await expect(thought.getByText('Checking the notes')).toBeHidden();
    const text = answer.getByTestId('message-text');
    await expect(text).toHaveText(KEEPER_ANSWER);
    // Ungrounded: "[1]" names no source, so it stays text.
    await expect(text.locator('button.cite')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('live-thought-folded.png') });

    await thought.locator('summary').click();
    await expect(thought).toHaveAttribute('open');
    await expect(thought.getByText('Checking the notes')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('live-thought-open.png') });
    expect(await axeViolations(page)).toEqual([]);

    // Reopened from the store after a reload, the answer still keeps its thinking apart.
    await page.reload();
    await page
      .getByTestId('conversation-item')
      .filter({ hasText: 'Who keeps the lighthouse' })
      .getByRole('button')
      .first()
      .click();
    const stored = page.locator('[data-role="assistant"]').last();
    await expect(stored.getByTestId('message-text')).toHaveText(KEEPER_ANSWER);
    await expect(stored.getByTestId('message-thought')).not.toHaveAttribute('open');
  });
});
