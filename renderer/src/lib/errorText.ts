/** Human words for the core's typed errors. The UI switches on the code, never on the message. */
import { ErrorCode, type RemoteError } from '../../../electron/common/api/errors.js';

export interface ErrorText {
  title: string;
  /** More detail; null when the title says it all. */
  detail: string | null;
}

export function describeError(error: Pick<RemoteError, 'code' | 'message'>): ErrorText {
  switch (error.code) {
    case ErrorCode.NoModelLoaded:
      return {
        title: 'Choose a model first',
        detail: 'Pick a model from the Model menu above, then send again.',
      };
    case ErrorCode.ModelTooLarge:
      return { title: 'This model is too large for this computer', detail: error.message };
    case ErrorCode.ModelBusy:
      return { title: 'Another model is still loading', detail: 'Wait for it to finish, then try again.' };
    case ErrorCode.ModelNotFound:
      return { title: 'That model file is gone', detail: error.message };
    case ErrorCode.ModelInvalid:
      return { title: 'This file is not a usable model', detail: error.message };
    case ErrorCode.ModelLoadFailed:
      return { title: 'The model could not be loaded', detail: error.message };
    case ErrorCode.ModelChanged:
      return {
        title: 'This model file changed since it was checked',
        detail: `${error.message} Verify it again before loading it.`,
      };
    case ErrorCode.ModelDuplicate:
      return { title: 'This model is already installed', detail: error.message };
    case ErrorCode.InvalidSettings:
      return { title: 'These settings cannot be used', detail: error.message };
    case ErrorCode.VerificationFailed:
      // The core's message names the file, both hashes, and that the file was deleted.
      return { title: 'The download failed verification', detail: error.message };
    case ErrorCode.InsufficientDisk:
      return { title: 'Not enough disk space', detail: error.message };
    case ErrorCode.DownloadFailed:
      return { title: 'The download failed', detail: error.message };
    case ErrorCode.CatalogEntryNotFound:
    case ErrorCode.CatalogInvalid:
      return { title: 'The model catalog has a problem', detail: error.message };
    case ErrorCode.DownloadNotFound:
      return { title: 'That download is gone', detail: error.message };
    case ErrorCode.EmptyMessage:
      return { title: 'Type a message first', detail: null };
    case ErrorCode.ChatBusy:
      return { title: 'An answer is still being written', detail: 'Stop it or wait for it to finish.' };
    case ErrorCode.Disconnected:
      return {
        title: 'Lost the connection to Hearth',
        detail: 'It will reconnect by itself; then try again.',
      };
    case ErrorCode.Unauthorized:
      return { title: 'This page is no longer authorized', detail: 'Open the address Hearth printed again.' };
    case ErrorCode.Cancelled:
      return { title: 'Stopped', detail: null };
    case ErrorCode.EmbeddingModelUnavailable:
      return { title: 'No embedding model for the library', detail: error.message };
    case ErrorCode.CollectionExists:
      return { title: 'A collection with that name already exists', detail: 'Choose another name.' };
    case ErrorCode.NotFound:
      return { title: 'That is no longer in the library', detail: error.message };
    case ErrorCode.BadPath:
      return { title: 'That file or folder cannot be added', detail: error.message };
    case ErrorCode.BadRequest:
      return { title: 'Hearth could not accept that', detail: error.message };
    // Privacy (issue 7)
    case ErrorCode.NetworkBlocked:
      return { title: 'Blocked: Hearth did not go online', detail: error.message };
    case ErrorCode.NetworkFailed:
      return { title: 'Could not connect', detail: error.message };
    case ErrorCode.ConfirmationRequired:
      return { title: 'Type the words to confirm', detail: error.message };
    default:
      return { title: 'Something went wrong', detail: error.message };
  }
}
