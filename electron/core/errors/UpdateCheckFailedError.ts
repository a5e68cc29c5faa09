import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** The releases feed could not be reached, answered with an error, or said nothing usable. */
export class UpdateCheckFailedError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.UpdateCheckFailed, message, options);
    this.name = 'UpdateCheckFailed';
  }
}
