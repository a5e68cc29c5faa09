import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** The model catalog could not be read or does not match its schema. */
export class CatalogInvalidError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.CatalogInvalid, message, options);
    this.name = 'CatalogInvalid';
  }
}
