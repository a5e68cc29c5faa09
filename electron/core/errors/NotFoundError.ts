import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A library document, collection or upload that does not exist. */
export class NotFoundError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.NotFound, message, options);
    this.name = 'NotFound';
  }
}
