import { ErrorCode, HearthError } from '../../common/api/errors.js';

export interface MemoryShortfall {
  neededBytes: number;
  availableBytes: number;
}

/** The model and its context need more memory than the machine has free; raised before loading. */
export class ModelTooLargeError extends HearthError {
  readonly neededBytes?: number;
  readonly availableBytes?: number;

  constructor(message: string, shortfall?: MemoryShortfall, options?: ErrorOptions) {
    super(ErrorCode.ModelTooLarge, message, options);
    this.name = 'ModelTooLarge';
    this.neededBytes = shortfall?.neededBytes;
    this.availableBytes = shortfall?.availableBytes;
  }
}
