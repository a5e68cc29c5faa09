import { NotFoundError } from './NotFoundError.js';

/**
 * A collection a request names does not exist. A NotFound error (code NOT_FOUND) that also names
 * the request parameter, so the local API can answer 404 pointing at it.
 */
export class CollectionNotFoundError extends NotFoundError {
  constructor(
    message: string,
    readonly param: string | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CollectionNotFound';
  }
}
