import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A model load is already running; only one runs at a time. */
export class ModelBusyError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.ModelBusy, message, options);
    this.name = 'ModelBusy';
  }
}
