import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** The file changed since its sha256 was recorded; it is not used until verified again. */
export class ModelChangedError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.ModelChanged, message, options);
    this.name = 'ModelChanged';
  }
}
