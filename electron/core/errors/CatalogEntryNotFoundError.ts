import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** No catalog entry (or quantization) by that id. */
export class CatalogEntryNotFoundError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.CatalogEntryNotFound, message, options);
    this.name = 'CatalogEntryNotFound';
  }
}
