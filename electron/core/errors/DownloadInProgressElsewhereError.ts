import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** Another Hearth process holds the lock on this model's download (same data folder). */
export class DownloadInProgressElsewhereError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.DownloadInProgressElsewhere, message, options);
    this.name = 'DownloadInProgressElsewhere';
  }
}
