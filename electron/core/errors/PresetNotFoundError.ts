import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** No preset with that id. */
export class PresetNotFoundError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.PresetNotFound, message, options);
    this.name = 'PresetNotFound';
  }
}
