import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** Not enough free disk space for a download or import; refused before starting. */
export class InsufficientDiskError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.InsufficientDisk, message, options);
    this.name = 'InsufficientDisk';
  }
}
