/**
 * Browser drops carry no file paths, so the page streams each dropped file here first:
 * `POST /api/library/upload?name=<display name>` with the raw bytes as the body. The file is
 * written under the library's uploads folder with a random handle for its name (the client
 * never chooses a path), and the handle goes to `library.add {uploads}`. Nothing else happens here.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { setCommonHeaders } from './headers.js';

export const LIBRARY_UPLOAD_PATH = '/api/library/upload';
/** The largest file accepted by upload (2 GiB, the size of the largest text file the library takes). */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  setCommonHeaders(response);
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(JSON.stringify(body));
}

export async function handleLibraryUpload(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  uploadsDir: string,
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<void> {
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST');
    sendJson(response, 405, { error: 'Upload with POST.' });
    return;
  }
  const name = (url.searchParams.get('name') ?? '').trim().slice(0, 512);
  if (!name) {
    sendJson(response, 400, { error: 'The ?name= of the file is required.' });
    return;
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    sendJson(response, 413, { error: `The file is larger than ${maxBytes} bytes.` });
    request.resume();
    return;
  }
  await mkdir(uploadsDir, { recursive: true });
  const handle = randomBytes(18).toString('base64url');
  const partial = join(uploadsDir, `${handle}.part`);
  const out = createWriteStream(partial, { flags: 'wx' });
  let size = 0;
  const outcome = await new Promise<'ok' | 'too-large' | 'aborted'>((resolve) => {
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.unpipe(out);
        request.pause();
        resolve('too-large');
      }
    });
    request.on('aborted', () => resolve('aborted'));
    request.on('error', () => resolve('aborted'));
    out.on('error', () => resolve('aborted'));
    out.on('finish', () => resolve('ok'));
    request.pipe(out);
  });
  if (outcome !== 'ok') {
    out.destroy();
    await rm(partial, { force: true });
    if (outcome === 'too-large') {
      response.setHeader('Connection', 'close');
      sendJson(response, 413, { error: `The file is larger than ${maxBytes} bytes.` });
    } else response.destroy();
    return;
  }
  await rename(partial, join(uploadsDir, handle));
  sendJson(response, 200, { handle, name, sizeBytes: size });
}
