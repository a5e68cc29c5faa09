import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** llama.cpp could not load a model whose header looked valid. */
export class ModelLoadFailedError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.ModelLoadFailed, message, options);
    this.name = 'ModelLoadFailed';
  }
}
