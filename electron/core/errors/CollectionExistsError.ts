import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A collection with that name already exists. */
export class CollectionExistsError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.CollectionExists, message, options);
    this.name = 'CollectionExists';
  }
}
