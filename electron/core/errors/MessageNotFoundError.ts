import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A message id that is not in its conversation. */
export class MessageNotFoundError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.MessageNotFound, message, options);
    this.name = 'MessageNotFound';
  }
}
