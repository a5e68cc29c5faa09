import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A path given to the library that cannot be added. */
export class BadPathError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.BadPath, message, options);
    this.name = 'BadPath';
  }
}
