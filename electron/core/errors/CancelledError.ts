import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** The caller aborted the operation before it produced a result. */
export class CancelledError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.Cancelled, message, options);
    this.name = 'Cancelled';
  }
}
