import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** This front cannot do that (e.g. reveal in folder from a browser). */
export class NotSupportedError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.NotSupported, message, options);
    this.name = 'NotSupported';
  }
}
