import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** Downloaded bytes do not match the expected sha256; the partial file is deleted. */
export class VerificationFailedError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.VerificationFailed, message, options);
    this.name = 'VerificationFailed';
  }
}
