import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A download failed after its retries (network or HTTP error). */
export class DownloadFailedError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.DownloadFailed, message, options);
    this.name = 'DownloadFailed';
  }
}
