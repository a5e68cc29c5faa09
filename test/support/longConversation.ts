/**
 * A long conversation as a Hearth JSON export (for `conversations.import`): alternating user
 * questions and Markdown answers of varied length (paragraphs, lists, code blocks), so a list of
 * 2,000 messages has the mix of heights a real one has. The last answer ends with END_MARKER.
 */
import { sampleConversation } from '../../electron/core/chats/testing.js';

export const END_MARKER = 'That is the end of this long conversation.';
export const START_MARKER = 'Question 1: how does this long conversation begin?';

const WORDS = (
  'the lantern river stone bridge market morning garden window letter winter harbour story ' +
  'quiet careful bright simple small old new open close follow answer reason example detail'
).split(' ');

function sentence(seed: number, length: number): string {
  const words = Array.from({ length }, (_, i) => WORDS[(seed * 7 + i * 13) % WORDS.length]!);
  return `${words[0]![0]!.toUpperCase()}${words[0]!.slice(1)} ${words.slice(1).join(' ')}.`;
}

function answer(index: number): string {
  const parts = [`Answer ${index + 1}. ${sentence(index, 14)} ${sentence(index + 1, 11)}`];
  if (index % 3 === 0) parts.push([1, 2, 3, 4].map((n) => `- ${sentence(index + n, 6)}`).join('\n'));
  if (index % 5 === 0)
    parts.push('```js\n' + `const step${index} = follow(${index});\nanswer(step${index});\n` + '```');
  if (index % 4 === 1)
    parts.push(`${sentence(index + 2, 18)} ${sentence(index + 3, 9)} ${sentence(index + 4, 15)}`);
  return parts.join('\n\n');
}

/** The export's JSON text: `messages` messages (an even number), user and assistant alternating. */
export function longConversationJson(messages = 2000, title = 'A very long conversation'): string {
  const file = sampleConversation({
    id: 'long',
    turns: messages / 2,
    title,
    text: (i) =>
      i === 0
        ? START_MARKER
        : i % 2 === 0
          ? `Question ${i / 2 + 1}: ${sentence(i, 9)}`
          : i === messages - 1
            ? `${answer(i)}\n\n${END_MARKER}`
            : answer(i),
  });
  return JSON.stringify(file);
}
