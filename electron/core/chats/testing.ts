/** Builders for conversation files in tests: a linear chat of N turns, with plain words to search. */
import { DEFAULT_SAMPLING } from './PresetStore.js';
import {
  CONVERSATION_FILE_VERSION,
  CONVERSATION_FORMAT,
  type ConversationFile,
  type StoredMessage,
} from './conversationFile.js';

export interface SampleOptions {
  id: string;
  turns?: number;
  title?: string;
  at?: number;
  /** Text of message i (user and assistant alternate). */
  text?: (index: number) => string;
}

export function sampleConversation({
  id,
  turns = 1,
  title,
  at = 1_700_000_000_000,
  text,
}: SampleOptions): ConversationFile {
  const messages: StoredMessage[] = [];
  for (let i = 0; i < turns * 2; i++) {
    const previous = messages.at(-1);
    const message: StoredMessage = {
      id: `${id}-m${i}`,
      parentId: previous?.id ?? null,
      role: i % 2 === 0 ? 'user' : 'assistant',
      text: text?.(i) ?? `message ${i} of ${id}`,
      createdAt: at + i,
      status: 'done',
      citations: [],
      activeChildId: null,
    };
    if (previous) previous.activeChildId = message.id;
    messages.push(message);
  }
  return {
    format: CONVERSATION_FORMAT,
    version: CONVERSATION_FILE_VERSION,
    id,
    title: title ?? `Conversation ${id}`,
    titleSource: 'auto',
    createdAt: at,
    updatedAt: at + turns * 2,
    pinned: false,
    deletedAt: null,
    presetId: 'default',
    systemPrompt: 'You are helpful.',
    settings: { ...DEFAULT_SAMPLING },
    activeRootId: messages[0]?.id ?? null,
    messages,
  };
}
