import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A destructive action was asked without its typed confirmation. */
export class ConfirmationRequiredError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.ConfirmationRequired, message, options);
    this.name = 'ConfirmationRequired';
  }
}
