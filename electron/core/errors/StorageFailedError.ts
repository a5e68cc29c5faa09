import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** The chat store could not read or write its files. */
export class StorageFailedError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.StorageFailed, message, options);
    this.name = 'StorageFailed';
  }
}
