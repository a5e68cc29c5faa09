import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** Settings that fail validation; the message names the field. */
export class InvalidSettingsError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.InvalidSettings, message, options);
    this.name = 'InvalidSettings';
  }
}
