import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** The request does not apply to its target (regenerate a user message, delete the default preset). */
export class InvalidOperationError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.InvalidOperation, message, options);
    this.name = 'InvalidOperation';
  }
}
