/**
 * Importing a model from a plain browser, where a dropped File has no path: its bytes are streamed
 * to the headless host's upload route, which writes them to a temporary file in the data folder and
 * runs the contract's `models.import` on it. The page's session cookie authorizes the request.
 */
import { ModelEntry } from '../../../electron/common/api/contract.js';
import { ErrorCode, RemoteError, isErrorCode } from '../../../electron/common/api/errors.js';

export const UPLOAD_PATH = '/upload/model';

export interface UploadOptions {
  /** 0..1 as the bytes leave the page. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

function errorFrom(status: number, body: string): RemoteError {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; name?: unknown; message?: unknown } };
    const error = parsed.error;
    if (error && typeof error.message === 'string') {
      return new RemoteError({
        code: isErrorCode(error.code) ? error.code : ErrorCode.Internal,
        name: typeof error.name === 'string' ? error.name : 'Error',
        message: error.message,
      });
    }
  } catch {
    // Not JSON: fall through to a message with the status.
  }
  const code = status === 401 ? ErrorCode.Unauthorized : ErrorCode.Internal;
  return new RemoteError({ code, name: 'UploadError', message: `The upload was refused (HTTP ${status}).` });
}

/** Sends the file; resolves with the installed model's entry. XMLHttpRequest, for upload progress. */
export function uploadModel(file: File, options: UploadOptions = {}): Promise<ModelEntry> {
  const { onProgress, signal } = options;
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const query = new URLSearchParams({ fileName: file.name, mode: 'copy' });
    request.open('POST', `${UPLOAD_PATH}?${query.toString()}`);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        const parsed = ModelEntry.safeParse(JSON.parse(request.responseText || 'null'));
        if (parsed.success) resolve(parsed.data);
        else
          reject(
            new RemoteError({
              code: ErrorCode.Internal,
              name: 'InvalidReply',
              message: 'Hearth sent an unexpected reply to the upload.',
            }),
          );
      } else {
        reject(errorFrom(request.status, request.responseText));
      }
    };
    request.onerror = () =>
      reject(
        new RemoteError({
          code: ErrorCode.Disconnected,
          name: 'UploadError',
          message: 'The connection to Hearth was lost during the upload.',
        }),
      );
    request.onabort = () =>
      reject(new RemoteError({ code: ErrorCode.Cancelled, name: 'AbortError', message: 'Cancelled.' }));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(file);
  });
}
