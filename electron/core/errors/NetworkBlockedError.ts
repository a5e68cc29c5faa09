import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** The network gate refused a request: offline mode is on, or the host is not allowed for its purpose. */
export class NetworkBlockedError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.NetworkBlocked, message, options);
    this.name = 'NetworkBlocked';
  }
}
