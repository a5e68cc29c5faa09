import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** No embedding model is configured, or it cannot be loaded. */
export class EmbeddingModelUnavailableError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.EmbeddingModelUnavailable, message, options);
    this.name = 'EmbeddingModelUnavailable';
  }
}
