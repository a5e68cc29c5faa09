/**
 * Sends a browser's dropped or picked files to the headless host, which stores them in the data folder
 * and answers with a handle that `library.add` takes. One request per file, its bytes as the body, so
 * nothing is held whole in memory on either side.
 */
import { ErrorCode, RemoteError } from '../../lib/api.js';

export interface Upload {
  handle: string;
  name: string;
}

export interface Uploader {
  upload(file: File, relativePath: string, signal?: AbortSignal): Promise<Upload>;
}

export const UPLOAD_PATH = '/api/library/upload';

/** Uploads picked files one after another, telling how many are done after each; their handles, in order. */
export async function uploadAll(
  uploader: Uploader,
  files: readonly { file: File; relativePath: string }[],
  onProgress: (done: number, total: number) => void,
): Promise<Upload[]> {
  const uploads: Upload[] = [];
  onProgress(0, files.length);
  for (const picked of files) {
    uploads.push(await uploader.upload(picked.file, picked.relativePath));
    onProgress(uploads.length, files.length);
  }
  return uploads;
}

export interface HostUploaderOptions {
  /** The page's own origin (the host). */
  origin: string;
  /** The access token, when the page holds one (else the session cookie carries it). */
  token: string | null;
  fetch: typeof globalThis.fetch;
}

export function createHostUploader({ origin, token, fetch }: HostUploaderOptions): Uploader {
  return {
    async upload(file, relativePath, signal) {
      const url = new URL(UPLOAD_PATH, origin);
      url.searchParams.set('name', relativePath);
      const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
      if (token) headers.Authorization = `Bearer ${token}`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          body: file,
          headers,
          credentials: 'same-origin',
          signal,
        });
      } catch (error) {
        if (signal?.aborted)
          throw new RemoteError({ code: ErrorCode.Cancelled, name: 'AbortError', message: 'Cancelled.' });
        throw new RemoteError({
          code: ErrorCode.Disconnected,
          name: 'UploadFailed',
          message: `Could not send ${relativePath}: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
      if (!response.ok || typeof body?.handle !== 'string') {
        const reason = body?.error ?? body?.message;
        const message = typeof reason === 'string' ? reason : `The host answered ${response.status}.`;
        throw new RemoteError({
          code: ErrorCode.BadRequest,
          name: 'UploadFailed',
          message: `${relativePath}: ${message}`,
        });
      }
      return { handle: body.handle, name: typeof body.name === 'string' ? body.name : relativePath };
    },
  };
}

/** The uploader for this page: none inside Electron (the core reads dropped files by path). */
export function uploaderForWindow(win: Window, token: string | null): Uploader | null {
  if (win.hearth) return null;
  return createHostUploader({ origin: win.location.origin, token, fetch: win.fetch.bind(win) });
}
