/**
 * One message of the transcript. Its fields are reactive one by one, so a streaming reply
 * changes only its own `text` per delta; the transcript array around it is left alone.
 */
import type { ChatResult } from '../../../../electron/common/api/contract.js';
import type { RemoteError } from '../../lib/api.js';
import { randomId } from '../../lib/ids.js';

/** `divider`: a line the app writes into the transcript (the model changed). */
export type MessageRole = 'user' | 'assistant' | 'divider';
export type MessageState = 'streaming' | 'done' | 'failed';

export interface GenerationStats {
  generatedTokens: number;
  /** Null when the answer was too short to time. */
  tokensPerSecond: number | null;
}

export class ChatMessage {
  readonly id = randomId();
  readonly role: MessageRole;
  /** Which model wrote an assistant message. */
  readonly author: string | null;
  text = $state('');
  state = $state<MessageState>('done');
  stopReason = $state<ChatResult['stopReason'] | null>(null);
  notice = $state<string | null>(null);
  error = $state.raw<RemoteError | null>(null);
  stats = $state.raw<GenerationStats | null>(null);

  constructor(
    role: MessageRole,
    text: string,
    options: { state?: MessageState; author?: string | null } = {},
  ) {
    this.role = role;
    this.text = text;
    this.state = options.state ?? 'done';
    this.author = options.author ?? null;
  }
}
