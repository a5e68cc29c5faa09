import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** No such conversation (deleted for good, or never created). */
export class ConversationNotFoundError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.ConversationNotFound, message, options);
    this.name = 'ConversationNotFound';
  }
}
