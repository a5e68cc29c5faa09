/**
 * The passage view of a citation: which source of which answer is shown, where (the chip or the
 * sources-list entry it belongs to), whether it is only previewed (hover, focus) or opened (click,
 * Enter), and what the core says about it now (still indexed, changed, or removed).
 */
import type { GroundingSource, SourceLookup } from '../../../../electron/common/api/contract.js';
import type { HearthClient } from '../../lib/api.js';
import type { ChatMessage } from '../chat/ChatMessage.svelte.js';

export interface ShownSource {
  message: ChatMessage;
  source: GroundingSource;
  /** The element the card is placed by (and gives focus back to when closed). */
  anchor: HTMLElement;
  /** Opened by a click or Enter: it stays until closed, and takes focus. */
  pinned: boolean;
  /** The answer's text before the chip, so the passage can mark the claim's words. */
  claim: string;
  /** The question answered, whose words are marked when the claim's are not in the passage. */
  question: string;
}

/** Hover is a preview: it opens after a short rest and closes a moment after the pointer leaves. */
const previewDelayMs = 180;
const leaveDelayMs = 220;

export class SourceViewer {
  shown = $state.raw<ShownSource | null>(null);
  /** The core's word on the shown source; null while it is asked (or for an answer not stored yet). */
  lookup = $state.raw<SourceLookup | null>(null);
  lookupFailed = $state(false);

  private readonly api: HearthClient;
  private readonly conversationId: () => string | null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private request = 0;
  private quiet: HTMLElement | null = null;

  constructor(api: HearthClient, conversationId: () => string | null) {
    this.api = api;
    this.conversationId = conversationId;
  }

  /** Shows source n of an answer by its anchor: now when opened, after a short rest for a preview. */
  show(
    message: ChatMessage,
    n: number,
    anchor: HTMLElement,
    pinned: boolean,
    words: { claim?: string; question?: string } = {},
  ): void {
    const source = message.sources.find((entry) => entry.n === n);
    if (!source) return;
    // Focus comes back to the chip whose card was just closed: that is not a wish to see it again.
    if (!pinned && anchor === this.quiet) return;
    this.quiet = null;
    clearTimeout(this.timer);
    const current = this.shown;
    if (!pinned && current?.pinned) return;
    if (current && current.anchor === anchor && current.message === message && current.source.n === n) {
      if (pinned && !current.pinned) this.shown = { ...current, pinned };
      else if (pinned) this.close();
      return;
    }
    const next = () => {
      this.shown = {
        message,
        source,
        anchor,
        pinned,
        claim: words.claim ?? '',
        question: words.question ?? '',
      };
      void this.look(message, n);
    };
    if (pinned || current) next();
    else this.timer = setTimeout(next, previewDelayMs);
  }

  /** The pointer or focus left a chip (or the card): a preview closes soon, an opened card stays. */
  leave(): void {
    this.quiet = null;
    clearTimeout(this.timer);
    if (!this.shown || this.shown.pinned) return;
    this.timer = setTimeout(() => this.close(), leaveDelayMs);
  }

  /** The pointer came onto the card: keep the preview open. */
  stay(): void {
    clearTimeout(this.timer);
  }

  pin(): void {
    if (this.shown && !this.shown.pinned) this.shown = { ...this.shown, pinned: true };
  }

  /** Closes the card; `returningTo` is the chip focus goes back to (it does not preview again). */
  close(returningTo: HTMLElement | null = null): void {
    this.quiet = returningTo;
    clearTimeout(this.timer);
    this.shown = null;
    this.lookup = null;
    this.lookupFailed = false;
  }

  private async look(message: ChatMessage, n: number): Promise<void> {
    const request = ++this.request;
    this.lookup = null;
    this.lookupFailed = false;
    const conversationId = this.conversationId();
    // An answer still streaming is not stored yet: what it was given is all there is to show.
    if (!conversationId || !message.stored) return;
    try {
      const lookup = await this.api.call('chat.source', { conversationId, messageId: message.id, n });
      if (request === this.request) this.lookup = lookup;
    } catch {
      if (request === this.request) this.lookupFailed = true;
    }
  }
}
