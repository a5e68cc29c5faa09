/**
 * Plans a grounded answer for a chat with collections attached: which passages the model sees,
 * numbered, within a token budget measured with the model's tokenizer; or, for a question about
 * a whole document, the whole document (in the context when it fits, otherwise read part by part
 * and reduced); or, when nothing relevant is found, a fixed honest answer.
 *
 * Why the "nothing found" answer is written by the app, not the model: a small local model told
 * "say so if the sources do not contain the answer" still answers from its own memory often
 * enough, and may invent a citation on top. With no relevant passage there is nothing to cite, so
 * the app says so itself, deterministically, and the model is not asked at all.
 */
import type { ChatHistoryItem } from 'node-llama-cpp';
import type {
  AttachedCollection,
  Grounding,
  GroundingProgress,
  GroundingSource,
  LibraryDocument,
  Passage,
} from '../../common/api/contract.js';
import {
  COMBINE_INSTRUCTION,
  GROUNDING_INSTRUCTION,
  MAP_INSTRUCTION,
  REDUCE_INSTRUCTION,
  fitSources,
  formatSource,
  groundedMessage,
  neutralise,
} from './prompt.js';
import { retrievalQuery, wholeDocumentQuestion, type Turn } from './question.js';
import {
  retrieve,
  type Candidate,
  type PassageReranker,
  type RelevanceSettings,
  type RetrievalLibrary,
} from './retrieve.js';

export const NOTHING_FOUND_ANSWER =
  'I could not find anything about this in the attached collections, so I cannot answer it from your files. ' +
  'Try other words, or attach the collection that holds the answer.';

export const NO_ROOM_ANSWER =
  "This model's context is too small to hold even one source next to your question, so I cannot answer from " +
  'your files. Choose a larger context size for this model, or shorten the question.';

export interface GroundingLibrary extends RetrievalLibrary {
  documents(collection?: string): Promise<LibraryDocument[]>;
  passages(where: { documentId: string } | { chunkIds: readonly string[] }): Promise<Passage[]>;
}

export type ProgressUpdate = Omit<GroundingProgress, 'requestId' | 'conversationId' | 'messageId'>;

export interface GroundingRequest {
  question: string;
  /** The conversation before the question (oldest first). */
  earlier: Turn[];
  collections: AttachedCollection[];
  /** The conversation's own system prompt (the grounding instruction is added to it). */
  systemPrompt: string;
  contextSize: number;
  /** Tokens kept free for the answer. */
  answerTokens: number;
  /** Tokens of a chat history as the model's chat template renders it. */
  countHistory(history: ChatHistoryItem[]): number;
  tokenize(text: string): readonly unknown[];
  /** Keeps the beginning of `text`, at most `tokens` tokens. */
  cutToTokens(text: string, tokens: number): string;
  /** Generates a side answer (the map step of whole-document reading); returns its text. */
  complete(history: ChatHistoryItem[], options: { maxTokens: number; signal: AbortSignal }): Promise<string>;
  progress(update: ProgressUpdate): void;
  signal: AbortSignal;
}

export interface GroundingPlan {
  sources: GroundingSource[];
  grounding: Grounding;
  /** The system prompt to use (the conversation's, with the grounding instruction). */
  systemPrompt: string;
  /** The newest user message as the model sees it (sources, then the question). */
  userText: string;
  /** Set when the app answers by itself (nothing relevant found; no room for a source). */
  fixedAnswer?: string;
  notice?: string;
}

export interface GrounderOptions {
  library: GroundingLibrary;
  /** The reranker, when a reranker model is installed (loaded on first use). */
  reranker?: () => Promise<PassageReranker | undefined>;
  relevance?: Partial<RelevanceSettings>;
  /** Share of (context - answer) the sources may take, so some conversation still fits. */
  sourcesShare?: number;
  /** Whole-document reading stops above this many chunks (the answer says it read only part). */
  maxWholeChunks?: number;
  /** The most passages one answer gets (past a handful, more passages add noise, not answers). */
  maxSources?: number;
}

const DEFAULT_MAX_SOURCES = 8;

/** Slack for template tokens and re-tokenization (as in contextWindow.ts). */
const MARGIN_TOKENS = 48;

export class Grounder {
  constructor(private readonly options: GrounderOptions) {}

  async plan(request: GroundingRequest): Promise<GroundingPlan> {
    const available = request.collections.filter((c) => c.available);
    const gone = request.collections.filter((c) => !c.available);
    const notice =
      gone.length > 0
        ? `${gone.length === 1 ? 'The collection' : 'The collections'} ${gone.map((c) => `"${c.name}"`).join(', ')} ` +
          `${gone.length === 1 ? 'was' : 'were'} deleted, so this answer did not use ${gone.length === 1 ? 'it' : 'them'}.`
        : undefined;
    const collectionIds = available.map((c) => c.id);
    const systemPrompt = [request.systemPrompt.trim(), GROUNDING_INSTRUCTION].filter(Boolean).join('\n\n');
    const base: { systemPrompt: string; notice?: string } = { systemPrompt, ...(notice ? { notice } : {}) };
    const budget = this.sourcesBudget(request, systemPrompt);

    const documents = collectionIds.length > 0 ? await this.documentsIn(collectionIds) : [];
    const whole = wholeDocumentQuestion(request.question, documents);
    if (whole)
      return { ...base, ...(await this.wholeDocument(request, whole, documents, collectionIds, budget)) };

    const reranker = await this.options.reranker?.();
    const search = (withReranker: PassageReranker | undefined) =>
      retrieve({
        library: this.options.library,
        query: retrievalQuery(request.question, request.earlier),
        collectionIds,
        ...(withReranker ? { reranker: withReranker } : {}),
        ...(this.options.relevance ? { settings: this.options.relevance } : {}),
        onStage: (stage, done, total) => request.progress({ stage, done, total }),
        signal: request.signal,
      });
    let rerankNotice: string | undefined;
    const outcome = await search(reranker).catch(async (error: unknown) => {
      // A reranker that cannot run (a broken file, no memory) must not cost the answer.
      if (!reranker || request.signal.aborted) throw error;
      rerankNotice = `The reranker could not run (${error instanceof Error ? error.message : String(error)}), so passages are in search order.`;
      return search(undefined);
    });
    if (rerankNotice) base.notice = [base.notice, rerankNotice].filter(Boolean).join(' ');
    const grounding = (mode: Grounding['mode'], omitted = 0): Grounding => ({
      mode,
      collectionIds,
      reranked: outcome.reranked,
      omittedSources: omitted,
    });
    if (outcome.candidates.length === 0) {
      return {
        ...base,
        sources: [],
        grounding: grounding('nothing-found'),
        userText: request.question,
        fixedAnswer: NOTHING_FOUND_ANSWER,
      };
    }
    const best = outcome.candidates.slice(0, this.options.maxSources ?? DEFAULT_MAX_SOURCES);
    const fitted = fitSources({
      question: request.question,
      candidates: best,
      budgetTokens: budget,
      tokenizer: { tokenize: request.tokenize },
      cutToTokens: request.cutToTokens,
    });
    if (fitted.sources.length === 0) {
      return {
        ...base,
        sources: [],
        grounding: grounding('nothing-found', fitted.omitted),
        userText: request.question,
        fixedAnswer: NO_ROOM_ANSWER,
      };
    }
    const roomNotice =
      fitted.omitted > 0 || fitted.cut
        ? `The model's context (${request.contextSize.toLocaleString('en-US')} tokens) held ${fitted.sources.length} of ` +
          `the ${best.length} best passages${fitted.cut ? ' (the first one shortened)' : ''}.`
        : undefined;
    return {
      ...base,
      ...(roomNotice ? { notice: [base.notice, roomNotice].filter(Boolean).join(' ') } : {}),
      sources: fitted.sources,
      grounding: grounding('passages', fitted.omitted),
      userText: fitted.message,
    };
  }

  /**
   * Tokens the newest user message (sources and question) may take: what the context leaves
   * after the answer and the system prompt, capped so earlier turns are not all pushed out.
   */
  sourcesBudget(request: GroundingRequest, systemPrompt: string): number {
    const frame = request.countHistory([
      { type: 'system', text: systemPrompt },
      { type: 'user', text: '' },
      { type: 'model', response: [] },
    ]);
    const room = request.contextSize - request.answerTokens - MARGIN_TOKENS;
    const share = this.options.sourcesShare ?? 0.75;
    return Math.max(0, Math.min(room - frame, Math.floor(room * share)));
  }

  private async documentsIn(collectionIds: string[]): Promise<LibraryDocument[]> {
    const lists = await Promise.all(collectionIds.map((id) => this.options.library.documents(id)));
    return lists.flat();
  }

  private async wholeDocument(
    request: GroundingRequest,
    whole: { documentIds: string[]; section?: string },
    documents: LibraryDocument[],
    collectionIds: string[],
    budget: number,
  ): Promise<Omit<GroundingPlan, 'systemPrompt'>> {
    const byId = new Map(documents.map((d) => [d.id, d]));
    const names = whole.documentIds.map((id) => byId.get(id)?.name ?? id);
    request.progress({ stage: 'reading', done: 0, total: whole.documentIds.length, documentName: names[0] });
    let passages: Passage[] = [];
    for (const [i, documentId] of whole.documentIds.entries()) {
      request.signal.throwIfAborted();
      passages.push(...(await this.options.library.passages({ documentId })));
      request.progress({
        stage: 'reading',
        done: i + 1,
        total: whole.documentIds.length,
        documentName: names[i],
      });
    }
    if (whole.section) {
      const wanted = whole.section.toLowerCase();
      const inSection = passages.filter((p) => p.headingPath.some((h) => h.toLowerCase().includes(wanted)));
      if (inSection.length > 0) passages = inSection;
    }
    const max = this.options.maxWholeChunks ?? 2000;
    const truncated = passages.length > max;
    passages = passages.slice(0, max);
    const sources: GroundingSource[] = passages.map((p, i) => ({
      n: i + 1,
      chunkId: p.chunkId,
      documentId: p.documentId,
      documentName: p.documentName,
      path: p.path,
      collectionId: p.collectionId,
      ...(p.page !== undefined ? { page: p.page } : {}),
      headingPath: p.headingPath,
      text: p.text,
      charStart: p.charStart,
      charEnd: p.charEnd,
      score: 1,
    }));
    const grounding = (mapReduce: boolean): Grounding => ({
      mode: 'whole-document',
      collectionIds,
      reranked: false,
      omittedSources: 0,
      chunksRead: sources.length,
      mapReduce,
    });
    const truncatedNotice = truncated
      ? `Only the first ${max.toLocaleString('en-US')} passages of ${names.join(', ')} were read.`
      : undefined;
    if (sources.length === 0) {
      return {
        sources: [],
        grounding: grounding(false),
        userText: request.question,
        fixedAnswer: NOTHING_FOUND_ANSWER,
      };
    }
    const all = groundedMessage(
      request.question,
      sources.map((s) => formatSource(s)),
    );
    if (request.tokenize(all).length <= budget) {
      return {
        sources,
        grounding: grounding(false),
        userText: all,
        ...(truncatedNotice ? { notice: truncatedNotice } : {}),
      };
    }
    const notes = await this.combineNotes(request, await this.mapChunks(request, sources, budget), budget);
    const userText = this.reduceMessage(request, notes, budget);
    return {
      sources,
      grounding: grounding(true),
      userText,
      ...(truncatedNotice ? { notice: truncatedNotice } : {}),
    };
  }

  /**
   * The map step: consecutive batches of sources that fit the budget, each read by the model
   * for the question. Every source is in exactly one batch (a source too long for a batch alone
   * is cut to fit, and still read).
   */
  private async mapChunks(
    request: GroundingRequest,
    sources: GroundingSource[],
    budget: number,
  ): Promise<string[]> {
    const mapSystem = MAP_INSTRUCTION;
    const frame = request.countHistory([
      { type: 'system', text: mapSystem },
      { type: 'user', text: '' },
      { type: 'model', response: [] },
    ]);
    const room = request.contextSize - request.answerTokens - MARGIN_TOKENS - frame;
    const batchBudget = Math.max(32, Math.min(room, budget));
    const batches: string[][] = [];
    let current: string[] = [];
    for (const source of sources) {
      const formatted = formatSource(source);
      const trial = groundedMessage(request.question, [...current, formatted]);
      if (request.tokenize(trial).length <= batchBudget) {
        current.push(formatted);
        continue;
      }
      if (current.length > 0) batches.push(current);
      const alone = groundedMessage(request.question, [formatted]);
      if (request.tokenize(alone).length <= batchBudget) current = [formatted];
      else {
        const overhead = request.tokenize(
          groundedMessage(request.question, [formatSource(source, '')]),
        ).length;
        current = [
          formatSource(source, request.cutToTokens(source.text, Math.max(8, batchBudget - overhead - 4))),
        ];
      }
    }
    if (current.length > 0) batches.push(current);

    // Each note gets an equal share of what the reduce step leaves after its instruction and question.
    const reduceFrame = request.tokenize(this.reduceText(request.question, [])).length;
    const noteTokens = Math.max(8, Math.min(256, Math.floor((budget - reduceFrame) / batches.length) - 6));
    const notes: string[] = [];
    for (const [i, batch] of batches.entries()) {
      request.signal.throwIfAborted();
      request.progress({ stage: 'mapping', done: i, total: batches.length });
      const note = await request.complete(
        [
          { type: 'system', text: mapSystem },
          { type: 'user', text: groundedMessage(request.question, batch) },
          { type: 'model', response: [] },
        ],
        { maxTokens: noteTokens, signal: request.signal },
      );
      notes.push(note.trim());
    }
    request.signal.throwIfAborted();
    request.progress({ stage: 'mapping', done: batches.length, total: batches.length });
    request.progress({ stage: 'reducing', done: 0, total: 1 });
    return notes;
  }

  /**
   * When the notes of every part together do not fit the final step, consecutive notes are merged
   * by the model (as many rounds as needed) so no part is dropped.
   */
  private async combineNotes(request: GroundingRequest, notes: string[], budget: number): Promise<string[]> {
    const count = (text: string) => request.tokenize(text).length;
    const frame = request.countHistory([
      { type: 'system', text: COMBINE_INSTRUCTION },
      { type: 'user', text: '' },
      { type: 'model', response: [] },
    ]);
    const groupBudget = Math.max(
      32,
      Math.min(budget, request.contextSize - request.answerTokens - MARGIN_TOKENS - frame),
    );
    let level = notes;
    for (
      let round = 0;
      round < 8 && level.length > 1 && count(this.reduceText(request.question, level)) > budget;
      round++
    ) {
      const groups: string[][] = [];
      let current: string[] = [];
      for (const note of level) {
        if (current.length > 0 && count(this.notesText(request.question, [...current, note])) > groupBudget) {
          groups.push(current);
          current = [];
        }
        current.push(note);
      }
      if (current.length > 0) groups.push(current);
      // Nothing can be merged (each note fills a group alone): the final step shortens them instead.
      if (groups.length === level.length) break;
      const reduceFrame = count(this.reduceText(request.question, []));
      const noteTokens = Math.max(8, Math.min(256, Math.floor((budget - reduceFrame) / groups.length) - 6));
      const merged: string[] = [];
      for (const [i, group] of groups.entries()) {
        request.signal.throwIfAborted();
        request.progress({ stage: 'reducing', done: i, total: groups.length });
        const note = await request.complete(
          [
            { type: 'system', text: COMBINE_INSTRUCTION },
            { type: 'user', text: this.notesText(request.question, group) },
            { type: 'model', response: [] },
          ],
          { maxTokens: noteTokens, signal: request.signal },
        );
        merged.push(note.trim());
      }
      level = merged;
    }
    request.signal.throwIfAborted();
    return level;
  }

  private notesText(question: string, notes: readonly string[]): string {
    return (
      `<notes>\n${notes.map((note, i) => `Part ${i + 1}: ${neutralise(note)}`).join('\n')}\n</notes>\n\n` +
      `Question: ${question.trim()}`
    );
  }

  private reduceText(question: string, notes: readonly string[]): string {
    return `${REDUCE_INSTRUCTION}\n\n${this.notesText(question, notes)}`;
  }

  private reduceMessage(request: GroundingRequest, notes: string[], budget: number): string {
    const build = (kept: string[]) => this.reduceText(request.question, kept);
    let kept = notes;
    // Notes were sized to fit; if re-tokenizing disagrees, shorten the longest until it does.
    for (let attempt = 0; attempt < 50 && request.tokenize(build(kept)).length > budget; attempt++) {
      const longest = kept.reduce((best, note, i) => (note.length > kept[best]!.length ? i : best), 0);
      kept = kept.map((note, i) => (i === longest ? note.slice(0, Math.floor(note.length * 0.8)) : note));
    }
    return build(kept);
  }
}

export type { Candidate };
