import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** The file is not a usable GGUF model (wrong signature, damaged header, truncated). */
export class ModelInvalidError extends HearthError {
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.ModelInvalid, message, options);
    this.name = 'ModelInvalid';
  }
}
