import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** An import was refused: a model with the same sha256 is already installed. */
export class ModelDuplicateError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.ModelDuplicate, message, options);
    this.name = 'ModelDuplicate';
  }
}
