import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** No download by that id. */
export class DownloadNotFoundError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.DownloadNotFound, message, options);
    this.name = 'DownloadNotFound';
  }
}
