import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** The model file named by a request does not exist in the models folder. */
export class ModelNotFoundError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.ModelNotFound, message, options);
    this.name = 'ModelNotFound';
  }
}
