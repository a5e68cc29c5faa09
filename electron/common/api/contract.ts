/**
 * The one API contract between the Hearth core and its fronts (Electron IPC, the headless
 * host's WebSocket, the CLI). Every method and event has a schema; transports validate
 * incoming payloads against it. Nothing here knows about a transport.
 */
import { z } from 'zod';

const empty = z.object({}).strict();
const id = z.string().min(1).max(512);

/** A user's message can be long (a pasted document); beyond this a transport refuses it. */
export const MAX_MESSAGE_CHARS = 1_000_000;

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  modelsDir: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** A fit badge for one model file (or catalog quantization) on this machine. */
export const ModelFit = z.object({
  level: z.enum(['gpu-full', 'gpu-partial', 'cpu', 'too-big']),
  /** "runs fully on GPU", "partly on GPU", "CPU only, slow", "will not fit". */
  label: z.string(),
  /** Memory (RAM + VRAM) the model needs with the chosen context, from node-llama-cpp's estimates. */
  estimatedBytes: z.number(),
  gpuLayers: z.number(),
  totalLayers: z.number(),
  contextSize: z.number(),
});
export type ModelFit = z.infer<typeof ModelFit>;

/** A `.gguf` file in the models folder, described from its header without loading it. */
export const ModelEntry = z.object({
  /** Stable id: the file's path relative to the models folder, with forward slashes. */
  id: z.string(),
  fileName: z.string(),
  path: z.string(),
  sizeBytes: z.number(),
  /** False when the file is not a usable GGUF; `problem` then says why. */
  usable: z.boolean(),
  problem: z.string().optional(),
  name: z.string().optional(),
  architecture: z.string().optional(),
  parameterCount: z.number().optional(),
  quantization: z.string().optional(),
  contextLength: z.number().optional(),
  /** 'model' for a loadable model, 'adapter' for a LoRA adapter (attach it to a model instead). */
  kind: z.enum(['model', 'adapter']).optional(),
  /** The sha256 recorded at download or import (absent until it has been computed). */
  sha256: z.string().optional(),
  /**
   * 'verified': size and mtime match what was recorded with the sha256; 'unrecorded': no hash yet;
   * 'hashing': being hashed in the background; 'changed': the file changed since it was recorded
   * (loading it is refused until `models.verify` accepts it).
   */
  verification: z.enum(['verified', 'unrecorded', 'hashing', 'changed']).optional(),
  /** Where it came from: a catalog id, an hf: reference, a URL, or an imported path. */
  source: z.string().optional(),
  license: z.string().optional(),
  /** ISO time of the last load. */
  lastUsedAt: z.string().optional(),
  /** How it fits this machine (absent for unusable files and adapters). */
  fit: ModelFit.optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

/** What this machine has, from node-llama-cpp and the OS. */
export const HardwareInfo = z.object({
  totalRamBytes: z.number(),
  freeRamBytes: z.number(),
  /** 'cuda' | 'vulkan' | 'metal', or false for CPU only. */
  gpu: z.union([z.string(), z.literal(false)]),
  gpuNames: z.array(z.string()),
  totalVramBytes: z.number(),
  freeVramBytes: z.number(),
  cpuCores: z.number(),
});
export type HardwareInfo = z.infer<typeof HardwareInfo>;

export const CatalogQuantization = z.object({
  /** "Q4_K_M", "Q8_0", ... */
  name: z.string(),
  /** The file (or the parts of a split model, in order) in the repo. */
  files: z.array(z.string()).min(1),
  /** Only when checked; otherwise taken from the server at download time. */
  sizeBytes: z.number().optional(),
  sha256: z.string().optional(),
});
export type CatalogQuantization = z.infer<typeof CatalogQuantization>;

export const CatalogEntry = z.object({
  id: z.string(),
  kind: z.enum(['chat', 'embedding', 'reranker']),
  name: z.string(),
  family: z.string(),
  description: z.string(),
  /** Hugging Face repo "owner/name". */
  repo: z.string(),
  /** A pinned commit; absent means "main" at download time, recorded then. */
  revision: z.string().optional(),
  /** Parameters in billions. */
  parametersB: z.number(),
  contextLength: z.number(),
  license: z.string(),
  commercialUse: z.boolean(),
  /** Plain words about the license's conditions. */
  licenseNote: z.string().optional(),
  quantizations: z.array(CatalogQuantization).min(1),
  /** The quantization to download when none is named. */
  recommended: z.string(),
  /** The default embedding model of the document library. */
  isDefault: z.boolean().optional(),
  reasoning: z.boolean().optional(),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const DownloadState = z.enum([
  'queued',
  'downloading',
  'paused',
  'verifying',
  'done',
  'failed',
  'cancelled',
]);
export type DownloadState = z.infer<typeof DownloadState>;

export const DownloadInfo = z.object({
  id: z.string(),
  /** What was asked for: a catalog id, hf:owner/repo/file.gguf, or a URL. */
  source: z.string(),
  name: z.string(),
  /** The model id it will have in the models folder (the first part for a split model). */
  modelId: z.string(),
  state: DownloadState,
  receivedBytes: z.number(),
  /** Unknown until the server answers. */
  totalBytes: z.number().optional(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().optional(),
  /** Set when failed: what went wrong, in words, with its error code. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  sha256: z.string().optional(),
});
export type DownloadInfo = z.infer<typeof DownloadInfo>;

export const LoraAdapter = z.object({
  /** Path of the adapter .gguf (in the models folder or anywhere on disk). */
  path: z.string().min(1).max(4096),
  scale: z.number().min(0).max(4),
});
export type LoraAdapter = z.infer<typeof LoraAdapter>;

/** Per-model settings; every field has a default, so a stored file holds only what was changed. */
export const ModelSettings = z.object({
  contextSize: z.union([z.literal('auto'), z.number().int().min(256).max(1_048_576)]),
  gpuLayers: z.union([z.literal('auto'), z.number().int().min(0).max(10_000)]),
  temperature: z.number().min(0).max(2),
  topP: z.number().min(0).max(1),
  topK: z.number().int().min(0).max(1000),
  minP: z.number().min(0).max(1),
  repeatPenalty: z.number().min(1).max(2),
  maxTokens: z.number().int().positive().max(32_768),
  systemPrompt: z.string().max(100_000),
  loras: z.array(LoraAdapter).max(8),
});
export type ModelSettings = z.infer<typeof ModelSettings>;

/** App-wide settings. */
export const AppSettings = z.object({
  /** Unload the model after this many idle minutes; 0 keeps it loaded. */
  idleUnloadMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
});
export type AppSettings = z.infer<typeof AppSettings>;

/** One model in detail: its list entry, settings, and selected header metadata. */
export const ModelInfo = z.object({
  entry: ModelEntry,
  settings: ModelSettings,
  /** Selected header keys (general.*, architecture basics); no tokenizer arrays. */
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  layers: z.number().optional(),
  chatTemplate: z.boolean().optional(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const ModelStatus = z.object({
  state: z.enum(['none', 'loading', 'loaded']),
  modelId: z.string().nullable(),
  /** 0..1 while loading. */
  progress: z.number().optional(),
  contextSize: z.number().optional(),
  /** 'cpu' or the GPU backend in use (metal, cuda, vulkan). */
  backend: z.string().optional(),
  threads: z.number().optional(),
});
export type ModelStatus = z.infer<typeof ModelStatus>;

export const StopReason = z.enum(['end', 'maxTokens', 'cancelled']);
export type StopReason = z.infer<typeof StopReason>;

/** Sampling settings of a preset and of each answer (what was really used). */
export const SamplingSettings = z
  .object({
    temperature: z.number().min(0).max(2),
    topK: z.number().int().min(0).max(1000),
    topP: z.number().min(0).max(1),
    minP: z.number().min(0).max(1),
    /** Default answer length limit; null = half the context. */
    maxTokens: z.number().int().positive().max(32_768).nullable(),
  })
  .strict();
export type SamplingSettings = z.infer<typeof SamplingSettings>;

export const MessageTimings = z.object({
  /** Prompt tokens evaluated for this answer (KV cache reuse keeps it small). */
  promptTokens: z.number(),
  generatedTokens: z.number(),
  /** Wall time from the request to the end of the answer. */
  totalMs: z.number(),
  /** Time to the first generated token (prompt evaluation). */
  firstTokenMs: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
});
export type MessageTimings = z.infer<typeof MessageTimings>;

// ---- Grounded answers (issue 5): sources, citations, attached collections --------------------

/** One numbered source given to the model for a grounded answer (a passage of a library document). */
export const GroundingSource = z.object({
  /** The number the answer cites it by, as [n]; 1-based, unique within one answer. */
  n: z.number().int().positive(),
  chunkId: z.string(),
  documentId: z.string(),
  documentName: z.string(),
  /** The file's path (for an upload: its stored copy). */
  path: z.string(),
  collectionId: z.string(),
  /** 1-based page for paged formats (PDF). */
  page: z.number().optional(),
  /** Headings above the passage, outermost first. */
  headingPath: z.array(z.string()),
  /** The passage as the model saw it (kept, so it still shows after the document is removed). */
  text: z.string(),
  /** [start, end) into the document's extracted text. */
  charStart: z.number(),
  charEnd: z.number(),
  /** Higher is better: the reranker's score when reranked, else the fused (RRF) retrieval score. */
  score: z.number(),
});
export type GroundingSource = z.infer<typeof GroundingSource>;

/** How an answer was grounded. */
export const Grounding = z.object({
  /**
   * 'passages': top passages retrieved for the question; 'whole-document': the whole document(s)
   * read (in the context, or map-reduce over chunks); 'nothing-found': no relevant passage, the
   * answer says so and cites nothing.
   */
  mode: z.enum(['passages', 'whole-document', 'nothing-found']),
  /** Collection ids searched for this answer. */
  collectionIds: z.array(z.string()),
  /** Whether a reranker reordered the candidates. */
  reranked: z.boolean(),
  /** Sources retrieved but left out because the context could not hold them. */
  omittedSources: z.number().int().min(0),
  /** Whole-document mode: chunks read, and whether map-reduce was used (the document did not fit). */
  chunksRead: z.number().int().min(0).optional(),
  mapReduce: z.boolean().optional(),
});
export type Grounding = z.infer<typeof Grounding>;

/** A collection attached to a conversation, as the conversation sees it now. */
export const AttachedCollection = z.object({
  id: z.string(),
  /** Its name now, or the name it had when attached if it was deleted since. */
  name: z.string(),
  /** False once the collection was deleted (it is skipped, and the next answer says so). */
  available: z.boolean(),
  /** The chat's own collection (files dropped into this chat). */
  own: z.boolean(),
});
export type AttachedCollection = z.infer<typeof AttachedCollection>;
// ---- end of grounded answers, first part ----------------------------------------------------

/** One node of a conversation's message tree. */
export const ChatMessage = z.object({
  id: z.string(),
  /** null for a first message; siblings share a parent (regenerated answers, edited messages). */
  parentId: z.string().nullable(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  /** A reasoning model's thinking, kept apart from the answer. */
  thought: z.string().optional(),
  createdAt: z.number(),
  /** 'streaming' while generating; 'interrupted' when the app stopped mid-answer (crash, kill). */
  status: z.enum(['done', 'streaming', 'interrupted']),
  stopReason: StopReason.optional(),
  /** The model that wrote an answer: its id and display name at the time. */
  model: z.object({ id: z.string(), name: z.string() }).optional(),
  settings: SamplingSettings.optional(),
  timings: MessageTimings.optional(),
  /**
   * Grounded answers: the [n] numbers the answer cites that match one of its `sources`, in order of
   * first use (numbers that match no source are dropped). Always an array; empty when ungrounded.
   */
  citations: z.array(z.number().int().positive()),
  /** Grounded answers: every numbered source given to the model for this answer. */
  sources: z.array(GroundingSource).optional(),
  grounding: Grounding.optional(),
  /** Set when the message was cut to fit, or older turns were left out of the context. */
  notice: z.string().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** A message on the active path, with its place among its siblings so the UI can page them. */
export const PathMessage = ChatMessage.extend({
  siblingIds: z.array(z.string()),
  /** 0-based position of this message in siblingIds. */
  siblingIndex: z.number(),
});
export type PathMessage = z.infer<typeof PathMessage>;

export const ConversationSummary = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  pinned: z.boolean(),
  /** Set while the conversation is in the trash (restorable until restorableUntil). */
  deletedAt: z.number().nullable(),
  messageCount: z.number(),
  presetId: z.string().nullable(),
  /** The model of the latest answer, by id. */
  modelId: z.string().nullable(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const Conversation = ConversationSummary.extend({
  systemPrompt: z.string(),
  settings: SamplingSettings,
  /** The active path from the first message to the current leaf. */
  path: z.array(PathMessage),
  /** Grounded answers: the collections attached to this chat (absent or empty: an ordinary chat). */
  collections: z.array(AttachedCollection).optional(),
});
export type Conversation = z.infer<typeof Conversation>;

export const SearchHit = z.object({
  conversationId: z.string(),
  conversationTitle: z.string(),
  messageId: z.string(),
  role: z.enum(['user', 'assistant']),
  /** Text around the first matching words; matches are wrapped in the ranges below. */
  snippet: z.string(),
  /** [start, end) character ranges of matched words inside snippet. */
  highlights: z.array(z.tuple([z.number(), z.number()])),
  score: z.number(),
  createdAt: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const Preset = z.object({
  id: z.string(),
  name: z.string(),
  systemPrompt: z.string(),
  /** The model to load for chats from this preset; null = whatever is loaded. */
  modelId: z.string().nullable(),
  sampling: SamplingSettings,
  /** Reserved: document collections attached to chats from this preset. */
  collections: z.array(z.string()),
  /** The preset New chat uses. Exactly one preset is the default. */
  isDefault: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Preset = z.infer<typeof Preset>;

const PresetFields = z
  .object({
    name: z.string().trim().min(1).max(200),
    systemPrompt: z.string().max(100_000),
    /** '' = no particular model (whatever is loaded). */
    modelId: z.string().max(512),
    sampling: SamplingSettings.partial(),
    collections: z.array(z.string().max(512)).max(100),
    isDefault: z.literal(true),
  })
  .partial()
  .strict();

export const ChatResult = z.object({
  conversationId: z.string(),
  /** The assistant message this call wrote (a new one, or the one continued). */
  messageId: z.string(),
  /** The user message this call added (send, edit); absent for regenerate and continue. */
  userMessageId: z.string().optional(),
  text: z.string(),
  thought: z.string().optional(),
  stopReason: StopReason,
  /** Tokens of the prompt that were evaluated for this turn (history reuse keeps it small). */
  evaluatedPromptTokens: z.number(),
  generatedTokens: z.number(),
  timings: MessageTimings.optional(),
  /** Context use after this turn, for the footer. */
  context: z.object({ usedTokens: z.number(), size: z.number() }).optional(),
  /** Set when the message was cut to fit the model's context, or older turns were left out. */
  notice: z.string().optional(),
  /** Grounded answers: the [n] numbers cited that match a source, its sources, and how it was grounded. */
  citations: z.array(z.number().int().positive()).optional(),
  sources: z.array(GroundingSource).optional(),
  grounding: Grounding.optional(),
});
export type ChatResult = z.infer<typeof ChatResult>;

/** An import larger than this is refused (before parsing). */
export const MAX_IMPORT_CHARS = 4_000_000;
/** A group of documents. Every document belongs to exactly one collection. */
export const Collection = z.object({
  id: z.string(),
  name: z.string(),
  documentCount: z.number(),
  createdAt: z.string(),
  /** Grounded answers: set on a chat's own collection (files dropped into that chat). */
  ownerConversationId: z.string().optional(),
});
export type Collection = z.infer<typeof Collection>;

/** Where a file stands in ingestion. `skipped` and `failed` carry a human-readable `reason`. */
export const IngestState = z.enum(['queued', 'reading', 'indexing', 'ready', 'skipped', 'failed']);
export type IngestState = z.infer<typeof IngestState>;

/** One file in the ingestion queue (or just finished). */
export const IngestItem = z.object({
  /** Stable id of this queue entry. */
  id: z.string(),
  /** Absolute path of the source file (for an upload: its stored copy). */
  path: z.string(),
  /** The name to show (the upload's original name, or the file's base name). */
  name: z.string(),
  collectionId: z.string(),
  state: IngestState,
  reason: z.string().optional(),
  /** Set once the file is indexed (or was already, same content). */
  documentId: z.string().optional(),
  /** 0..1 within this file (embedding progress while indexing). */
  progress: z.number(),
  chunkCount: z.number().optional(),
  updatedAt: z.string(),
});
export type IngestItem = z.infer<typeof IngestItem>;

export const IngestOverall = z.object({
  paused: z.boolean(),
  total: z.number(),
  queued: z.number(),
  active: z.number(),
  ready: z.number(),
  skipped: z.number(),
  failed: z.number(),
  /** 0..1 over the whole batch. */
  progress: z.number(),
  /** Estimated seconds left; absent until there is enough to estimate from. */
  etaSeconds: z.number().optional(),
});
export type IngestOverall = z.infer<typeof IngestOverall>;

// Watched folders (issue 4): each folder's sync state, as the core sees it.
/** scanning: checking for changes (made while Hearth was closed); syncing: files pending; synced: up to date. */
export const WatchedFolderState = z.enum(['scanning', 'syncing', 'synced', 'error']);
export type WatchedFolderState = z.infer<typeof WatchedFolderState>;
export const WatchedFolder = z.object({
  path: z.string(),
  collectionId: z.string(),
  state: WatchedFolderState,
  /** Files of this folder noticed, queued or being indexed. */
  pending: z.number(),
  /** When the folder was last up to date (survives restarts). */
  lastSyncedAt: z.string().optional(),
  /** Why the folder is not watched (state error): missing, not a folder, unreadable. */
  reason: z.string().optional(),
});
export type WatchedFolder = z.infer<typeof WatchedFolder>;

export const LibraryStatus = z.object({
  overall: IngestOverall,
  /** Files of the current batch (queued, running, and finished since the queue was last idle-cleared). */
  items: z.array(IngestItem),
  /** The embedding model the index is built with. */
  embeddingModel: z.object({ name: z.string(), dimension: z.number(), fingerprint: z.string() }).nullable(),
  watchedFolders: z.array(WatchedFolder),
});
export type LibraryStatus = z.infer<typeof LibraryStatus>;

export const LibraryDocument = z.object({
  id: z.string(),
  collectionId: z.string(),
  /** Original name (upload) or file base name. */
  name: z.string(),
  path: z.string(),
  /** pdf, docx, pptx, xlsx, odt, epub, html, markdown, text, csv, json, code */
  kind: z.string(),
  sizeBytes: z.number(),
  contentHash: z.string(),
  chunkCount: z.number(),
  pageCount: z.number().optional(),
  indexedAt: z.string(),
});
export type LibraryDocument = z.infer<typeof LibraryDocument>;

export const SearchMode = z.enum(['hybrid', 'vector', 'text']);
export type SearchMode = z.infer<typeof SearchMode>;

/** One passage found by library.search. Offsets index the document's extracted text. */
export const Passage = z.object({
  chunkId: z.string(),
  documentId: z.string(),
  documentName: z.string(),
  path: z.string(),
  collectionId: z.string(),
  text: z.string(),
  /** 1-based page for paged formats (PDF). */
  page: z.number().optional(),
  /** Headings above the passage, outermost first. */
  headingPath: z.array(z.string()),
  charStart: z.number(),
  charEnd: z.number(),
  /** Higher is better; RRF score for hybrid, similarity for vector, BM25 for text. */
  score: z.number(),
  /** [start, end) ranges within `text` that match query terms. */
  highlights: z.array(z.tuple([z.number(), z.number()])),
});
export type Passage = z.infer<typeof Passage>;

// ---- Grounded answers (issue 5), continued: looking up a cited source, progress ---------------

/** What `chat.source` says about one cited source now. */
export const SourceLookup = z.object({
  /** As stored with the answer (its text is what the model saw). */
  source: GroundingSource,
  /**
   * 'available': the document and passage are still indexed as cited; 'changed': the document was
   * re-indexed and the passage text differs now; 'removed': the document is gone ("source removed").
   */
  state: z.enum(['available', 'changed', 'removed']),
  /** The passage as indexed now (state 'available' or 'changed'). */
  current: Passage.optional(),
});
export type SourceLookup = z.infer<typeof SourceLookup>;

/** Progress of the long stages of a grounded answer (whole-document questions above all). */
export const GroundingProgress = z.object({
  requestId: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
  stage: z.enum(['retrieving', 'reranking', 'reading', 'mapping', 'reducing']),
  /** Units done and total in this stage (chunks while mapping); total 0 when unknown. */
  done: z.number(),
  total: z.number(),
  /** The document being read (whole-document mode). */
  documentName: z.string().optional(),
});
export type GroundingProgress = z.infer<typeof GroundingProgress>;
// ---- end of grounded answers (issue 5) --------------------------------------------------------

const collectionRef = z.string().min(1).max(200);

// First-run setup and update checks (issue 10): recommendations, other apps' model folders, updates.

/** One recommended catalog model for this machine, with the reason in words. */
export const SetupRecommendation = z.object({
  entryId: z.string(),
  name: z.string(),
  kind: z.enum(['chat', 'embedding']),
  quantization: z.string(),
  parametersB: z.number(),
  /** Download size when the catalog or the file's header says it; else an estimate from the parameters. */
  sizeBytes: z.number(),
  sizeIsEstimate: z.boolean(),
  license: z.string(),
  commercialUse: z.boolean(),
  licenseNote: z.string().optional(),
  /** From the fit estimator (the file's header) when it could be read. */
  fit: ModelFit.optional(),
  /** Why this one, in a sentence. */
  reason: z.string(),
  /** Already in the models folder (nothing to download). */
  installed: z.boolean(),
});
export type SetupRecommendation = z.infer<typeof SetupRecommendation>;

export const SetupRecommendations = z.object({
  hardware: HardwareInfo,
  chat: SetupRecommendation.nullable(),
  embedding: SetupRecommendation.nullable(),
  /** Set when a recommendation rests on estimates (e.g. headers could not be read). */
  note: z.string().optional(),
});
export type SetupRecommendations = z.infer<typeof SetupRecommendations>;

/** A .gguf another local-AI app already has on this machine. */
export const DetectedModel = z.object({
  path: z.string(),
  /** A name to show: Ollama's "llama3.2:latest", or the file name. */
  name: z.string(),
  /** The file name it gets in Hearth's models folder when imported by reference. */
  importName: z.string(),
  sizeBytes: z.number(),
  /** Already linked or copied into Hearth (same path recorded). */
  imported: z.boolean(),
});
export type DetectedModel = z.infer<typeof DetectedModel>;

export const DetectedFolder = z.object({
  app: z.enum(['LM Studio', 'Jan', 'Ollama', 'GPT4All']),
  folder: z.string(),
  models: z.array(DetectedModel),
});
export type DetectedFolder = z.infer<typeof DetectedFolder>;

export const SetupStatus = z.object({
  /** Finished or skipped: the welcome is not shown again (until setup.reset). */
  done: z.boolean(),
  completedAt: z.string().optional(),
  skipped: z.boolean().optional(),
});
export type SetupStatus = z.infer<typeof SetupStatus>;

export const UpdateSettings = z.object({
  /** Off by default: Hearth never looks for updates unless the user turns this on. */
  checkForUpdates: z.boolean(),
  /** A JSON feed of releases (GitHub's releases API shape, or {version, notes, url}). */
  releasesUrl: z.string().url().max(2048),
});
export type UpdateSettings = z.infer<typeof UpdateSettings>;

export const UpdateCheck = z.object({
  currentVersion: z.string(),
  latestVersion: z.string(),
  newer: z.boolean(),
  /** Release notes as the feed gives them (Markdown or text). */
  notes: z.string(),
  /** Where the user can read about and download it; nothing is downloaded by Hearth. */
  url: z.string().optional(),
  checkedAt: z.string(),
});
export type UpdateCheck = z.infer<typeof UpdateCheck>;
// ---- Local API (issue 8): the opt-in OpenAI-compatible server's settings, state and request log ----

/** Whether the API may load another model in place of the one the app has loaded. */
export const LocalApiSwitchPolicy = z.enum(['never', 'whenIdle']);
export type LocalApiSwitchPolicy = z.infer<typeof LocalApiSwitchPolicy>;

export const LocalApiSettings = z.object({
  /** Off by default: nothing listens until the user turns it on. */
  enabled: z.boolean(),
  port: z.number().int().min(1).max(65535),
  /** 127.0.0.1 by default; any other address exposes the API to other machines (the UI warns). */
  bindAddress: z.string().trim().min(1).max(100),
  /** Origins (scheme://host:port) a browser page may call from; empty: CORS off. */
  allowedOrigins: z.array(z.string().trim().url().max(200)).max(50),
  switchPolicy: LocalApiSwitchPolicy,
  /** Requests that may wait per model behind the one running; more are refused with 429. */
  queueLimit: z.number().int().min(0).max(256),
});
export type LocalApiSettings = z.infer<typeof LocalApiSettings>;

export const LocalApiState = z.object({
  settings: LocalApiSettings,
  /** The key every request must present (Authorization: Bearer KEY). */
  key: z.string(),
  /** What the server is doing now; `baseUrl` while it listens. */
  server: z.object({
    state: z.enum(['off', 'running', 'failed']),
    baseUrl: z.string().optional(),
    error: z.string().optional(),
  }),
  /** Said when the address reaches beyond this machine. */
  warning: z.string().optional(),
});
export type LocalApiState = z.infer<typeof LocalApiState>;

export const LocalApiLogEntry = z.object({
  id: z.string(),
  /** ISO time the request arrived. */
  at: z.string(),
  method: z.string(),
  path: z.string(),
  model: z.string().optional(),
  status: z.number(),
  promptTokens: z.number().optional(),
  completionTokens: z.number().optional(),
  durationMs: z.number(),
});
export type LocalApiLogEntry = z.infer<typeof LocalApiLogEntry>;
// Privacy (issue 7): the network ledger, offline mode and "delete all my data".
/** Why Hearth's own code went to the network; each purpose has its own allowed hosts. */
export const NetworkPurpose = z.enum(['model-download', 'model-header', 'catalog', 'update-check']);
export type NetworkPurpose = z.infer<typeof NetworkPurpose>;

/** One outbound connection attempt (one per redirect hop), allowed or blocked by the network gate. */
export const LedgerEntry = z.object({
  /** Counts up from 1 since install (or since the data was deleted). */
  seq: z.number(),
  /** ISO time of the attempt. */
  at: z.string(),
  host: z.string(),
  method: z.string(),
  purpose: NetworkPurpose,
  /** What the user did that caused it, e.g. "model download: Qwen3 4B Q4_K_M". */
  description: z.string(),
  allowed: z.boolean(),
  /** Why it was blocked (absent when allowed). */
  reason: z.string().optional(),
  /** Response bytes received so far (final once `finished`). */
  bytes: z.number(),
  status: z.number().optional(),
  /** A network error, when the connection failed. */
  error: z.string().optional(),
  finished: z.boolean(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const PrivacyStatus = z.object({
  /** Every outbound connection is refused while on, downloads included. */
  offline: z.boolean(),
  /** Logs may contain prompts, document names and text only while on. */
  debugLogging: z.boolean(),
  /** Attempts since install: allowed ones were made, blocked ones never left the machine. */
  connections: z.object({ allowed: z.number(), blocked: z.number() }),
  dataDir: z.string(),
});
export type PrivacyStatus = z.infer<typeof PrivacyStatus>;

/** What the user types to confirm "Delete all my data" (the CLI's --yes sends it). */
export const DELETE_DATA_CONFIRMATION = 'delete my data';

function method<P extends z.ZodType, R extends z.ZodType>(def: {
  params: P;
  result: R;
  /** Long work: takes a request id, can be cancelled, may stream events keyed by it. */
  long?: boolean;
}) {
  return { long: false, ...def };
}

// ---- Library embedding model setting (issue 4) ----
/** What decides the library's embedding model, strongest first. */
export const EmbedderOrigin = z.enum(['option', 'environment', 'setting', 'catalog-default', 'detected']);
export type EmbedderOrigin = z.infer<typeof EmbedderOrigin>;
export const EmbedderChoice = z.object({
  /** The saved choice: a models-folder id, or null for the default. */
  setting: z.string().nullable(),
  /** The model the library uses now, and what decided it; null when none is available. */
  current: z.object({ name: z.string(), path: z.string(), origin: EmbedderOrigin }).nullable(),
  /** Installed models that embed (catalog embedding models, files named like one). */
  candidates: z.array(z.object({ modelId: z.string(), name: z.string(), catalogDefault: z.boolean() })),
  /** Documents in the library: all are re-embedded when the model changes. */
  documentCount: z.number(),
  /** Set when an engine option or HEARTH_EMBED_MODEL decides: the setting is saved but not used. */
  overriddenBy: z.enum(['option', 'environment']).nullable(),
});
export type EmbedderChoice = z.infer<typeof EmbedderChoice>;

export const methods = {
  'app.info': method({ params: empty, result: AppInfo }),
  'models.list': method({ params: empty, result: z.array(ModelEntry) }),
  'models.status': method({ params: empty, result: ModelStatus }),
  'models.load': method({
    params: z
      .object({
        modelId: id,
        /** Overrides for this load only; otherwise the model's settings (default 'auto'). */
        gpuLayers: z.union([z.literal('auto'), z.number().int().min(0).max(10_000)]).optional(),
        contextSize: z.number().int().min(256).max(1_048_576).optional(),
        /** Load even when the memory check says it will not fit (the user confirmed). */
        force: z.boolean().optional(),
      })
      .strict(),
    result: ModelStatus,
    long: true,
  }),
  'models.unload': method({ params: empty, result: ModelStatus }),
  /** Shows the file in the system's file manager (Electron only; the headless host refuses). */
  'models.reveal': method({ params: z.object({ modelId: id }).strict(), result: z.object({}) }),
  'models.info': method({ params: z.object({ modelId: id }).strict(), result: ModelInfo }),
  /** Unloads it first when it is the loaded model; removes the file (all parts) and its record. */
  'models.delete': method({ params: z.object({ modelId: id }).strict(), result: z.object({}) }),
  /**
   * Adds a .gguf from anywhere on disk: header checked first, hashed (progress events), refused
   * when a model with the same sha256 is installed, then copied (or linked) into the models folder.
   */
  'models.import': method({
    params: z
      .object({
        path: z.string().min(1).max(4096),
        mode: z.enum(['copy', 'link']).default('copy'),
        /** The file name in the models folder (e.g. for an Ollama blob, which has none of its own). */
        name: z
          .string()
          .regex(/^[^/\\]+\.gguf$/i)
          .max(255)
          .optional(),
      })
      .strict(),
    result: ModelEntry,
    long: true,
  }),
  /** Re-hashes a model; when it was flagged 'changed', `accept` records the new hash as good. */
  'models.verify': method({
    params: z.object({ modelId: id, accept: z.boolean().optional() }).strict(),
    result: ModelEntry,
    long: true,
  }),
  'models.settings.get': method({ params: z.object({ modelId: id }).strict(), result: ModelSettings }),
  /**
   * Merges and validates (context size within the model's trained length). Sampling, answer length and
   * system prompt apply to the loaded model from its next answer; the rest at its next load.
   */
  'models.settings.set': method({
    params: z.object({ modelId: id, settings: ModelSettings.partial() }).strict(),
    result: ModelSettings,
  }),
  'models.settings.reset': method({ params: z.object({ modelId: id }).strict(), result: ModelSettings }),
  'hardware.info': method({ params: empty, result: HardwareInfo }),
  'catalog.list': method({ params: empty, result: z.array(CatalogEntry) }),
  /** Fit of one catalog quantization, from its remote header (first bytes over HTTP; cached). */
  'catalog.fit': method({
    params: z.object({ entryId: id, quantization: z.string().min(1).max(64).optional() }).strict(),
    result: ModelFit,
    long: true,
  }),
  'downloads.list': method({ params: empty, result: z.array(DownloadInfo) }),
  /** Queues a download; progress arrives as `downloads.changed` broadcasts. */
  'downloads.start': method({
    params: z
      .object({ source: z.string().min(1).max(2048), quantization: z.string().min(1).max(64).optional() })
      .strict(),
    result: DownloadInfo,
  }),
  'downloads.pause': method({ params: z.object({ downloadId: id }).strict(), result: DownloadInfo }),
  'downloads.resume': method({ params: z.object({ downloadId: id }).strict(), result: DownloadInfo }),
  /** Stops it and deletes the partial file. */
  'downloads.cancel': method({ params: z.object({ downloadId: id }).strict(), result: DownloadInfo }),
  /** Drops finished, failed and cancelled downloads from the list. */
  'downloads.clear': method({ params: empty, result: z.array(DownloadInfo) }),
  'settings.get': method({ params: empty, result: AppSettings }),
  'settings.set': method({ params: AppSettings.partial().strict(), result: AppSettings }),
  /**
   * Sends a message and streams the answer. A conversation id that does not exist yet starts a
   * new conversation with that id (default preset). parentId: the message to answer after
   * (default: the end of the active path).
   */
  'chat.send': method({
    params: z
      .object({
        conversationId: id,
        text: z.string().max(MAX_MESSAGE_CHARS),
        maxTokens: z.number().int().positive().max(32_768).optional(),
        parentId: id.optional(),
      })
      .strict(),
    result: ChatResult,
    long: true,
  }),
  /** A new answer to the same message, as a sibling of messageId (an assistant message). */
  'chat.regenerate': method({
    params: z
      .object({
        conversationId: id,
        messageId: id,
        maxTokens: z.number().int().positive().max(32_768).optional(),
      })
      .strict(),
    result: ChatResult,
    long: true,
  }),
  /** Sends an edited copy of a user message as its sibling, and answers it; the old branch stays. */
  'chat.edit': method({
    params: z
      .object({
        conversationId: id,
        messageId: id,
        text: z.string().max(MAX_MESSAGE_CHARS),
        maxTokens: z.number().int().positive().max(32_768).optional(),
      })
      .strict(),
    result: ChatResult,
    long: true,
  }),
  /** Continues a cut-off (maxTokens, stopped, interrupted) assistant message in place. */
  'chat.continue': method({
    params: z
      .object({
        conversationId: id,
        messageId: id,
        maxTokens: z.number().int().positive().max(32_768).optional(),
      })
      .strict(),
    result: ChatResult,
    long: true,
  }),
  /** Newest first, pinned before the rest. Deleted ones only with includeDeleted. */
  'conversations.list': method({
    params: z.object({ includeDeleted: z.boolean().optional() }).strict(),
    result: z.array(ConversationSummary),
  }),
  'conversations.get': method({ params: z.object({ conversationId: id }).strict(), result: Conversation }),
  /** A new empty conversation from a preset (default preset when absent). */
  'conversations.create': method({
    params: z
      .object({ presetId: id.optional(), title: z.string().trim().min(1).max(200).optional() })
      .strict(),
    result: Conversation,
  }),
  'conversations.rename': method({
    params: z.object({ conversationId: id, title: z.string().trim().min(1).max(200) }).strict(),
    result: ConversationSummary,
  }),
  'conversations.pin': method({
    params: z.object({ conversationId: id, pinned: z.boolean() }).strict(),
    result: ConversationSummary,
  }),
  /** Moves a conversation to the trash; conversations.restore brings it back until restorableUntil. */
  'conversations.delete': method({
    params: z.object({ conversationId: id }).strict(),
    result: z.object({ conversationId: z.string(), restorableUntil: z.number() }),
  }),
  'conversations.restore': method({
    params: z.object({ conversationId: id }).strict(),
    result: ConversationSummary,
  }),
  /** Makes messageId (and below it, the branch last used there) the active path. */
  'conversations.switchBranch': method({
    params: z.object({ conversationId: id, messageId: id }).strict(),
    result: Conversation,
  }),
  /** Finds past messages by their words, best first, with snippets. */
  'conversations.search': method({
    params: z
      .object({ query: z.string().max(1000), limit: z.number().int().positive().max(200).optional() })
      .strict(),
    result: z.array(SearchHit),
  }),
  /** The active path as Markdown, or the whole tree as versioned JSON (re-importable). */
  'conversations.export': method({
    params: z.object({ conversationId: id, format: z.enum(['markdown', 'json']) }).strict(),
    result: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
  }),
  /** Imports a JSON export as a new conversation (new id); bad input is refused whole. */
  'conversations.import': method({
    params: z.object({ content: z.string().max(MAX_IMPORT_CHARS) }).strict(),
    result: Conversation,
  }),
  'presets.list': method({ params: empty, result: z.array(Preset) }),
  'presets.create': method({
    params: PresetFields.required({ name: true }),
    result: Preset,
  }),
  /** Changes some fields; isDefault: true makes it the default (the old default loses it). */
  'presets.update': method({
    params: PresetFields.extend({ presetId: id }).strict(),
    result: Preset,
  }),
  /** The default preset cannot be deleted (make another the default first). */
  'presets.delete': method({ params: z.object({ presetId: id }).strict(), result: z.object({}) }),
  'chat.reset': method({
    params: z.object({ conversationId: id }).strict(),
    result: z.object({}),
  }),
  'library.add': method({
    params: z
      .object({
        /** Files or folders on the machine running the core (Electron, CLI). */
        paths: z.array(z.string().min(1).max(4096)).max(10_000).optional(),
        /** Handles returned by the headless host's upload endpoint (browser drops). */
        uploads: z
          .array(z.object({ handle: id, name: z.string().min(1).max(512) }))
          .max(10_000)
          .optional(),
        /** Collection id or name; created when a name is new. Default: "Library". */
        collection: collectionRef.optional(),
        /** Keep the added folders in sync (re-index on change, remove on delete). */
        watch: z.boolean().optional(),
      })
      .strict(),
    result: z.object({ collectionId: z.string(), queued: z.array(IngestItem) }),
  }),
  /** Resolves when the queue has nothing left to do (or when cancelled); returns the final status. */
  'library.waitIdle': method({ params: empty, result: LibraryStatus, long: true }),
  'library.status': method({ params: empty, result: LibraryStatus }),
  'library.pause': method({ params: empty, result: LibraryStatus }),
  'library.resume': method({ params: empty, result: LibraryStatus }),
  /** Cancels one queued or running file, or with no itemId every one. */
  'library.cancel': method({ params: z.object({ itemId: id.optional() }).strict(), result: LibraryStatus }),
  /** Drops finished items (ready/skipped/failed) from the status list. */
  'library.clearFinished': method({ params: empty, result: LibraryStatus }),
  'library.search': method({
    params: z
      .object({
        query: z.string().min(1).max(4096),
        collections: z.array(collectionRef).max(100).optional(),
        mode: SearchMode.optional(),
        limit: z.number().int().positive().max(200).optional(),
      })
      .strict(),
    result: z.array(Passage),
  }),
  'library.documents': method({
    params: z.object({ collection: collectionRef.optional() }).strict(),
    result: z.array(LibraryDocument),
  }),
  'library.removeDocument': method({
    params: z.object({ documentId: id }).strict(),
    result: z.object({ removed: z.boolean() }),
  }),
  'library.unwatch': method({
    params: z.object({ path: z.string().min(1).max(4096) }).strict(),
    result: z.object({ removed: z.boolean() }),
  }),
  'collections.list': method({ params: empty, result: z.array(Collection) }),
  'collections.create': method({
    params: z.object({ name: z.string().trim().min(1).max(200) }).strict(),
    result: Collection,
  }),
  'collections.rename': method({
    params: z.object({ collectionId: id, name: z.string().trim().min(1).max(200) }).strict(),
    result: Collection,
  }),
  /** Deletes the collection and every document in it. */
  'collections.delete': method({
    params: z.object({ collectionId: id }).strict(),
    result: z.object({ removed: z.boolean() }),
  }),
  // First-run setup and update checks (issue 10).
  'setup.status': method({ params: empty, result: SetupStatus }),
  /** Marks setup done (finished or skipped): the welcome is not shown again. */
  'setup.complete': method({
    params: z.object({ skipped: z.boolean().optional() }).strict(),
    result: SetupStatus,
  }),
  /** "Run setup again": the welcome shows on the next start (and now, in the asking window). */
  'setup.reset': method({ params: empty, result: SetupStatus }),
  /** One chat and one embedding model from the catalog that fit this machine (reads file headers). */
  'setup.recommend': method({ params: empty, result: SetupRecommendations, long: true }),
  /** Model folders of LM Studio, Jan, Ollama and GPT4All on this machine, with their GGUF files. */
  'setup.detect': method({ params: empty, result: z.array(DetectedFolder), long: true }),
  'updates.settings.get': method({ params: empty, result: UpdateSettings }),
  'updates.settings.set': method({ params: UpdateSettings.partial().strict(), result: UpdateSettings }),
  /** Asks the releases feed for the latest version (only when the user turned checks on). */
  'updates.check': method({ params: empty, result: UpdateCheck, long: true }),
  // Local API (issue 8)
  'localApi.get': method({ params: empty, result: LocalApiState }),
  'localApi.set': method({ params: LocalApiSettings.partial().strict(), result: LocalApiState }),
  'localApi.regenerateKey': method({ params: empty, result: LocalApiState }),
  'localApi.log': method({ params: empty, result: z.array(LocalApiLogEntry) }),
  // Privacy (issue 7)
  'privacy.status': method({ params: empty, result: PrivacyStatus }),
  /** The network ledger, newest first. */
  'privacy.ledger': method({
    params: z.object({ limit: z.number().int().positive().max(10_000).optional() }).strict(),
    result: z.array(LedgerEntry),
  }),
  'privacy.set': method({
    params: z.object({ offline: z.boolean().optional(), debugLogging: z.boolean().optional() }).strict(),
    result: PrivacyStatus,
  }),
  /**
   * Removes everything in the data folder (models too unless keepModels), then starts afresh with
   * empty stores. `confirm` must be DELETE_DATA_CONFIRMATION.
   */
  'privacy.deleteAllData': method({
    params: z.object({ confirm: z.string().max(100), keepModels: z.boolean().optional() }).strict(),
    result: z.object({ removed: z.array(z.string()), keptModels: z.boolean() }),
  }),
  // ---- Grounded answers (issue 5) ----
  /**
   * Sets the collections a chat answers from (ids or names; [] detaches all: an ordinary chat).
   * A conversation id that does not exist yet starts a new conversation with that id. The chat's
   * own collection (dropped files) stays attached unless it is left out here.
   */
  'chat.collections.set': method({
    params: z.object({ conversationId: id, collections: z.array(collectionRef).max(100) }).strict(),
    result: z.array(AttachedCollection),
  }),
  /**
   * Adds files dropped into a chat to the chat's own collection (created and attached on first
   * use) and queues them; progress arrives as `library.progress` broadcasts. A conversation id that
   * does not exist yet starts one.
   */
  'chat.addFiles': method({
    params: z
      .object({
        conversationId: id,
        paths: z.array(z.string().min(1).max(4096)).max(10_000).optional(),
        uploads: z
          .array(z.object({ handle: id, name: z.string().min(1).max(512) }))
          .max(10_000)
          .optional(),
      })
      .strict(),
    result: z.object({
      collectionId: z.string(),
      queued: z.array(IngestItem),
      collections: z.array(AttachedCollection),
    }),
  }),
  /** Opens a library document in the system's default app (Electron only; elsewhere NOT_SUPPORTED). */
  'library.openDocument': method({ params: z.object({ documentId: id }).strict(), result: z.object({}) }),
  /** One cited source of a stored answer, checked against the library now ("source removed"). */
  'chat.source': method({
    params: z.object({ conversationId: id, messageId: id, n: z.number().int().positive() }).strict(),
    result: SourceLookup,
  }),
  // Library embedding model setting (issue 4): setting another model re-embeds every document.
  'library.embedder.get': method({ params: empty, result: EmbedderChoice }),
  /** modelId: a models-folder id; left out, back to the default. */
  'library.embedder.set': method({
    params: z.object({ modelId: z.string().min(1).max(1000).optional() }).strict(),
    result: EmbedderChoice,
  }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Params<M extends MethodName> = z.infer<Methods[M]['params']>;
export type Result<M extends MethodName> = z.infer<Methods[M]['result']>;
export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(methods, value);
}

/** Events the core pushes. Those with a `requestId` belong to one call; the rest go to everyone. */
export const events = {
  /** Answer text as it streams (thinking goes in chat.thought). messageId: the assistant message. */
  'chat.delta': z.object({
    requestId: z.string(),
    conversationId: z.string(),
    text: z.string(),
    messageId: z.string().optional(),
  }),
  /** A reasoning model's thinking as it streams, apart from the answer. */
  'chat.thought': z.object({
    requestId: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    text: z.string(),
  }),
  /** A generation began: the ids of the messages it writes, before the first delta. */
  'chat.started': z.object({
    requestId: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    parentId: z.string().nullable(),
    userMessageId: z.string().optional(),
  }),
  'models.loadProgress': z.object({
    requestId: z.string(),
    modelId: z.string(),
    progress: z.number(),
  }),
  /** The set of models or the loaded model changed; clients refresh. */
  'models.changed': z.object({ status: ModelStatus }),
  /** A conversation was added, changed, deleted or restored (null: many); sidebars refresh. */
  'conversations.changed': z.object({ conversationId: z.string().nullable() }),
  /** The presets changed; clients refresh. */
  'presets.changed': z.object({}),
  /** A queue entry changed state or progress (broadcast; throttled while embedding). */
  'library.progress': z.object({ item: IngestItem, overall: IngestOverall }),
  /** Documents or collections changed (added, removed, renamed); clients refresh lists. */
  'library.changed': z.object({ reason: z.string() }),
  /** A watched folder's sync state changed (state, pending count, last synced, error). */
  'library.watch': WatchedFolder,
  /** Progress of `models.import` / `models.verify` (hashing, copying), 0..1. */
  'models.importProgress': z.object({
    requestId: z.string(),
    stage: z.enum(['hashing', 'copying']),
    progress: z.number(),
  }),
  /** A download's state or progress changed (throttled to a few per second). Goes to everyone. */
  'downloads.changed': DownloadInfo,
  /** The installed set changed (download finished, import, delete, a hash recorded); clients re-list. */
  'models.listChanged': z.object({}),
  // Local API (issue 8): its settings or server state changed; one request was answered.
  'localApi.changed': LocalApiState,
  'localApi.request': LocalApiLogEntry,
  // Privacy (issue 7)
  /** Offline mode, debug logging or the connection counts changed. */
  'privacy.changed': PrivacyStatus,
  /** All data was deleted: every client reloads its lists. */
  'privacy.dataDeleted': z.object({ keptModels: z.boolean() }),
  // ---- Grounded answers (issue 5) ----
  /**
   * A grounded answer's numbered sources, sent after chat.started and before the first delta (the
   * UI renders [n] chips while the answer streams). The final ChatResult repeats them with citations.
   */
  'chat.sources': z.object({
    requestId: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    sources: z.array(GroundingSource),
    grounding: Grounding,
  }),
  /** Progress of retrieval, reranking and whole-document reading (cancel: chat.reset or the call's cancel). */
  'chat.progress': GroundingProgress,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];
