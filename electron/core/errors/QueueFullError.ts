import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A model's request queue is full (the local API answers 429: try again later). */
export class QueueFullError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.QueueFull, message, options);
    this.name = 'QueueFull';
  }
}
