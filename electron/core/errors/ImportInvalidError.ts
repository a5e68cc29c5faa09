import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** An import that is not a usable Hearth export: malformed, from a newer Hearth, or too large. */
export class ImportInvalidError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.ImportInvalid, message, options);
    this.name = 'ImportInvalid';
  }
}
