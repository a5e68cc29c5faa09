import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** The conversation already has an answer streaming. */
export class ChatBusyError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.ChatBusy, message, options);
    this.name = 'ChatBusy';
  }
}
