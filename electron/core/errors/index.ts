export { BadPathError } from './BadPathError.js';
export { CancelledError } from './CancelledError.js';
export { CatalogEntryNotFoundError } from './CatalogEntryNotFoundError.js';
export { CatalogInvalidError } from './CatalogInvalidError.js';
export { ChatBusyError } from './ChatBusyError.js';
export { CollectionExistsError } from './CollectionExistsError.js';
export { ConversationNotFoundError } from './ConversationNotFoundError.js';
export { DownloadFailedError } from './DownloadFailedError.js';
export { DownloadNotFoundError } from './DownloadNotFoundError.js';
export { EmbeddingModelUnavailableError } from './EmbeddingModelUnavailableError.js';
export { EmptyMessageError } from './EmptyMessageError.js';
export { ImportInvalidError } from './ImportInvalidError.js';
export { InsufficientDiskError } from './InsufficientDiskError.js';
export { InvalidOperationError } from './InvalidOperationError.js';
export { InvalidSettingsError } from './InvalidSettingsError.js';
export { MessageNotFoundError } from './MessageNotFoundError.js';
export { ModelBusyError } from './ModelBusyError.js';
export { ModelChangedError } from './ModelChangedError.js';
export { ModelDuplicateError } from './ModelDuplicateError.js';
export { ModelInvalidError } from './ModelInvalidError.js';
export { ModelLoadFailedError } from './ModelLoadFailedError.js';
export { ModelNotFoundError } from './ModelNotFoundError.js';
export { ModelTooLargeError } from './ModelTooLargeError.js';
export { NoModelLoadedError } from './NoModelLoadedError.js';
export { NotFoundError } from './NotFoundError.js';
export { NotSupportedError } from './NotSupportedError.js';
export { PresetNotFoundError } from './PresetNotFoundError.js';
export { StorageFailedError } from './StorageFailedError.js';
export { VerificationFailedError } from './VerificationFailedError.js';
export { UpdateCheckFailedError } from './UpdateCheckFailedError.js';
// Local API (issue 8)
export { InvalidParameterError } from './InvalidParameterError.js';
export { QueueFullError } from './QueueFullError.js';
// Privacy (issue 7)
export { ConfirmationRequiredError } from './ConfirmationRequiredError.js';
export { NetworkBlockedError } from './NetworkBlockedError.js';
export { NetworkFailedError } from './NetworkFailedError.js';
// Model downloads across processes (issue 3)
export { DownloadInProgressElsewhereError } from './DownloadInProgressElsewhereError.js';
// Local API grounding (issue 8 part 5)
export { CollectionNotFoundError } from './CollectionNotFoundError.js';
