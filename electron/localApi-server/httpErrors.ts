/**
 * Errors in OpenAI's shape, `{"error": {message, type, param, code}}`, with the HTTP status a
 * client expects: 400 bad parameter, 401 key, 404 model or URL, 413 body too large, 429 queue
 * full, 503 model not ready (or no embedding model for a grounded answer); 404 also for an
 * unknown collection in `hearth.collections`.
 */
import { ErrorCode, HearthError } from '../common/api/errors.js';
import { CollectionNotFoundError } from '../core/errors/CollectionNotFoundError.js';
import { InvalidParameterError } from '../core/errors/InvalidParameterError.js';

export interface OpenAiError {
  status: number;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

export function openAiError(
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): OpenAiError {
  return { status, body: { error: { message, type, param, code } } };
}

export function toOpenAiError(error: unknown): OpenAiError {
  if (!(error instanceof HearthError)) {
    return openAiError(500, 'The server had an error while processing your request.', 'server_error', null);
  }
  switch (error.code) {
    case ErrorCode.InvalidParameter:
      return openAiError(
        400,
        error.message,
        'invalid_request_error',
        'invalid_parameter',
        error instanceof InvalidParameterError ? error.param : null,
      );
    case ErrorCode.BadRequest:
    case ErrorCode.InvalidSettings:
    case ErrorCode.NotSupported:
      return openAiError(400, error.message, 'invalid_request_error', 'invalid_parameter');
    case ErrorCode.ModelNotFound:
      return openAiError(404, error.message, 'invalid_request_error', 'model_not_found', 'model');
    // Grounding (hearth.collections): a collection that does not exist.
    case ErrorCode.NotFound:
      return openAiError(
        404,
        error.message,
        'invalid_request_error',
        error instanceof CollectionNotFoundError ? 'collection_not_found' : 'not_found',
        error instanceof CollectionNotFoundError ? error.param : null,
      );
    case ErrorCode.QueueFull:
      return openAiError(429, error.message, 'rate_limit_error', 'rate_limit_exceeded');
    case ErrorCode.ModelBusy:
    case ErrorCode.ModelLoadFailed:
    case ErrorCode.ModelTooLarge:
    case ErrorCode.ModelInvalid:
    case ErrorCode.ModelChanged:
    case ErrorCode.NoModelLoaded:
      return openAiError(503, error.message, 'server_error', 'model_not_ready');
    // No embedding model: /v1/embeddings, or a grounded answer (hearth.collections).
    case ErrorCode.EmbeddingModelUnavailable:
      return openAiError(503, error.message, 'server_error', 'embedding_model_unavailable');
    case ErrorCode.Cancelled:
      return openAiError(499, error.message, 'invalid_request_error', 'cancelled');
    default:
      return openAiError(500, error.message, 'server_error', null);
  }
}
