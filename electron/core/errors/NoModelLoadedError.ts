import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A chat was sent while no model is loaded (or one is still loading). */
export class NoModelLoadedError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.NoModelLoaded, message, options);
    this.name = 'NoModelLoaded';
  }
}
