import { ErrorCode, HearthError } from '../../common/api/errors.js';

/** A request parameter is invalid or not supported; `param` names it (the local API answers 400). */
export class InvalidParameterError extends HearthError {
  constructor(
    message: string,
    readonly param: string | null = null,
    options?: ErrorOptions,
  ) {
    super(ErrorCode.InvalidParameter, message, options);
    this.name = 'InvalidParameter';
  }
}
