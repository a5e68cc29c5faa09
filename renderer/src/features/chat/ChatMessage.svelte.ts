/**
 * One message of the transcript as the UI shows it. Its fields are reactive one by one, so a
 * streaming reply changes only its own `text` per delta; the transcript array around it is left alone.
 */
import type {
  Grounding,
  GroundingProgress,
  GroundingSource,
  PathMessage,
  StopReason,
} from '../../../../electron/common/api/contract.js';
import type { RemoteError } from '../../lib/api.js';
import { randomId } from '../../lib/ids.js';

/** `divider`: a line the app writes into the transcript. */
export type MessageRole = 'user' | 'assistant' | 'divider';
/** `interrupted`: the app stopped mid-answer (a crash or a kill); the stored part is kept. */
export type MessageState = 'streaming' | 'done' | 'failed' | 'interrupted';

export interface GenerationStats {
  generatedTokens: number;
  /** Null when the answer was too short to time. */
  tokensPerSecond: number | null;
}

export class ChatMessage {
  /** Stable for the life of this view (the id changes once the core stores the message). */
  readonly key = randomId();
  /** The stored message's id; a local one until the core says which id it wrote. */
  id = $state(randomId());
  /** False until the core has stored the message (its actions need a stored id). */
  stored = $state(false);
  readonly role: MessageRole;
  /** Which model wrote an assistant message. */
  author = $state<string | null>(null);
  text = $state('');
  /** A reasoning model's thinking, shown apart from the answer. */
  thought = $state('');
  state = $state<MessageState>('done');
  stopReason = $state<StopReason | null>(null);
  notice = $state<string | null>(null);
  error = $state.raw<RemoteError | null>(null);
  stats = $state.raw<GenerationStats | null>(null);
  /** The message and its alternatives (regenerated answers, edited questions), for paging. */
  siblingIds = $state.raw<readonly string[]>([]);
  siblingIndex = $state(0);
  /** A grounded answer's numbered sources (empty for an ordinary answer). */
  sources = $state.raw<readonly GroundingSource[]>([]);
  /** The source numbers the answer cites, in order of first use. */
  citations = $state.raw<readonly number[]>([]);
  grounding = $state.raw<Grounding | null>(null);
  /** While a grounded answer is being prepared: retrieval, reranking, reading a whole document. */
  progress = $state.raw<GroundingProgress | null>(null);

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

  /** The view of a stored message on the conversation's active path. */
  static fromStored(message: PathMessage): ChatMessage {
    const view = new ChatMessage(message.role, message.text, {
      state:
        message.status === 'interrupted'
          ? 'interrupted'
          : message.status === 'streaming'
            ? 'interrupted'
            : 'done',
      author: message.model?.name ?? null,
    });
    view.id = message.id;
    view.stored = true;
    view.thought = message.thought ?? '';
    view.stopReason = message.stopReason ?? null;
    view.notice = message.notice ?? null;
    view.siblingIds = message.siblingIds;
    view.siblingIndex = message.siblingIndex;
    view.sources = message.sources ?? [];
    view.citations = message.citations;
    view.grounding = message.grounding ?? null;
    if (message.timings) {
      view.stats = {
        generatedTokens: message.timings.generatedTokens,
        tokensPerSecond: message.timings.tokensPerSecond,
      };
    }
    return view;
  }

  /** An answer that stopped before its end, which Continue can carry on. */
  get continuable(): boolean {
    return (
      this.role === 'assistant' &&
      this.stored &&
      (this.state === 'interrupted' || this.stopReason === 'maxTokens' || this.stopReason === 'cancelled')
    );
  }
}
