import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A connection the network gate allowed failed: refused, reset, DNS, TLS, or a bad or endless redirect. */
export class NetworkFailedError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.NetworkFailed, message, options);
    this.name = 'NetworkFailed';
  }
}
