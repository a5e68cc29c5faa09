/**
 * Error codes shared by the core, both transports and the renderer.
 * Only data crosses a process boundary: a receiver switches on `code`, never on `instanceof`.
 */
export const ErrorCode = {
  /** The payload did not match the method's schema. */
  BadRequest: 'BAD_REQUEST',
  UnknownMethod: 'UNKNOWN_METHOD',
  Unauthorized: 'UNAUTHORIZED',
  ModelNotFound: 'MODEL_NOT_FOUND',
  ModelInvalid: 'MODEL_INVALID',
  ModelTooLarge: 'MODEL_TOO_LARGE',
  ModelLoadFailed: 'MODEL_LOAD_FAILED',
  /** Another model load is already running. */
  ModelBusy: 'MODEL_BUSY',
  NoModelLoaded: 'NO_MODEL_LOADED',
  /** The file changed since its sha256 was recorded. */
  ModelChanged: 'MODEL_CHANGED',
  /** Import refused: the same file (by sha256) is already installed. */
  ModelDuplicate: 'MODEL_DUPLICATE',
  /** Settings failed validation (e.g. a context size beyond the model's trained length). */
  InvalidSettings: 'INVALID_SETTINGS',
  CatalogInvalid: 'CATALOG_INVALID',
  CatalogEntryNotFound: 'CATALOG_ENTRY_NOT_FOUND',
  DownloadNotFound: 'DOWNLOAD_NOT_FOUND',
  /** Network error or an HTTP error after the retries. */
  DownloadFailed: 'DOWNLOAD_FAILED',
  /** The downloaded bytes do not match the expected sha256; the partial file was deleted. */
  VerificationFailed: 'VERIFICATION_FAILED',
  InsufficientDisk: 'INSUFFICIENT_DISK',
  /** The front cannot do this (e.g. reveal in folder from a browser). */
  NotSupported: 'NOT_SUPPORTED',
  EmptyMessage: 'EMPTY_MESSAGE',
  /** A conversation already has an answer streaming. */
  ChatBusy: 'CHAT_BUSY',
  Cancelled: 'CANCELLED',
  ConversationNotFound: 'CONVERSATION_NOT_FOUND',
  /** A message id that is not in the conversation. */
  MessageNotFound: 'MESSAGE_NOT_FOUND',
  PresetNotFound: 'PRESET_NOT_FOUND',
  /** An import that is not a Hearth export: malformed, from a newer Hearth, or too large. */
  ImportInvalid: 'IMPORT_INVALID',
  /** The request does not apply to its target (regenerate a user message, delete the default preset). */
  InvalidOperation: 'INVALID_OPERATION',
  /** The chat store could not read or write its files. */
  StorageFailed: 'STORAGE_FAILED',
  /** A library document, collection or upload that does not exist. */
  NotFound: 'NOT_FOUND',
  /** A collection with that name already exists. */
  CollectionExists: 'COLLECTION_EXISTS',
  /** No embedding model is configured or it cannot be used. */
  EmbeddingModelUnavailable: 'EMBEDDING_MODEL_UNAVAILABLE',
  /** A library path that cannot be added (missing, not readable). */
  BadPath: 'BAD_PATH',
  /** The client lost its connection to the host while the call was running. */
  Disconnected: 'DISCONNECTED',
  /** Update check (issue 10): the releases feed could not be read or understood. */
  UpdateCheckFailed: 'UPDATE_CHECK_FAILED',
  Internal: 'INTERNAL',
  // Local API (issue 8)
  /** A request waited on a full queue and was refused (HTTP 429). */
  QueueFull: 'QUEUE_FULL',
  /** A request parameter is invalid or not supported (HTTP 400, with the parameter's name). */
  InvalidParameter: 'INVALID_PARAMETER',
  // Privacy (issue 7)
  /** The network gate refused an outbound request (offline mode, or a host not allowed for its purpose). */
  NetworkBlocked: 'NETWORK_BLOCKED',
  /** A connection the gate allowed failed (refused, reset, DNS, TLS, a bad or endless redirect). */
  NetworkFailed: 'NETWORK_FAILED',
  /** "Delete all my data" was asked without the typed confirmation. */
  ConfirmationRequired: 'CONFIRMATION_REQUIRED',
  // Model downloads across processes (issue 3)
  /** Another Hearth process (app window, `hearth serve`, CLI) is downloading this model into the same data folder. */
  DownloadInProgressElsewhere: 'DOWNLOAD_IN_PROGRESS_ELSEWHERE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const knownCodes = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/** The shape every error takes on the wire. */
export interface SerializedError {
  code: ErrorCode;
  name: string;
  message: string;
}

/** Base class of every error the core throws on purpose. Subclasses fix the code. */
export class HearthError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HearthError';
  }
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof HearthError) {
    return { code: error.code, name: error.name, message: error.message };
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: ErrorCode.Cancelled, name: 'AbortError', message: 'Cancelled.' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCode.Internal, name: 'Error', message: message || 'Unexpected error.' };
}

/** Rebuilds an error on the receiving side of a transport, keeping code and message. */
export class RemoteError extends Error {
  readonly code: ErrorCode;
  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.code = serialized.code;
    this.name = serialized.name;
  }
}
