import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A chat message was empty or whitespace only. */
export class EmptyMessageError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.EmptyMessage, message, options);
    this.name = 'EmptyMessage';
  }
}
