/**
 * `POST /upload/model?fileName=x.gguf`: how a page in a plain browser imports a model. A dropped File
 * has no path there, so its bytes come in the request body; they are streamed to a temporary file (in a
 * folder of its own, under its own name) in the data folder, handed to the contract's `models.import` (which checks the header, hashes, refuses
 * duplicates and copies into the models folder), and the temporary file is deleted either way.
 * The caller has already checked the token; this adds the same-origin check a POST needs.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, statfs } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CallContext } from '../common/api/dispatch.js';
import { ErrorCode, serializeError, type SerializedError } from '../common/api/errors.js';
import type { HostEngine } from './index.js';
import { setCommonHeaders } from './headers.js';

export const MODEL_UPLOAD_PATH = '/upload/model';

/** Room kept free beyond the upload and its copy, so an import never fills the disk to the last byte. */
const DISK_MARGIN_BYTES = 256 * 1024 * 1024;

export interface UploadOptions {
  engine: HostEngine;
  /** Where the temporary files go (inside the data folder). */
  uploadDir: string;
  /** Free bytes on the disk holding `dir`; replaceable in tests. */
  freeBytes?: (dir: string) => Promise<number>;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  setCommonHeaders(response);
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, error: SerializedError): void {
  sendJson(response, status, { error });
}

function statusFor(code: string): number {
  switch (code) {
    case ErrorCode.BadRequest:
    case ErrorCode.ModelInvalid:
      return 400;
    case ErrorCode.ModelDuplicate:
      return 409;
    case ErrorCode.InsufficientDisk:
      return 507;
    case ErrorCode.Cancelled:
      return 499;
    default:
      return 500;
  }
}

async function diskFree(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

function formatGb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(bytes >= 10e9 ? 0 : 1)} GB`;
}

/** `tmp/uploads` in the engine's data folder (which `app.info` names). */
export async function defaultUploadDir(engine: HostEngine): Promise<string> {
  const context: CallContext = {
    requestId: 'upload-dir',
    signal: new AbortController().signal,
    emit: () => {},
  };
  const info = await engine.handlers['app.info']({}, context);
  return join(info.dataDir, 'tmp', 'uploads');
}

/** Only a plain `.gguf` file name; the path parts of whatever the page sent are dropped. */
export function uploadFileName(raw: string | null): string | null {
  if (!raw) return null;
  const name = basename(raw.replace(/\\/g, '/')).trim();
  if (!/\.gguf$/i.test(name) || name.length > 255 || name.startsWith('.')) return null;
  return name;
}

export async function handleModelUpload(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  options: UploadOptions,
): Promise<void> {
  const fileName = uploadFileName(url.searchParams.get('fileName'));
  if (!fileName) {
    sendError(response, 400, {
      code: ErrorCode.ModelInvalid,
      name: 'NotGguf',
      message: 'Only .gguf model files can be imported.',
    });
    return;
  }
  const length = Number(request.headers['content-length']);
  if (!Number.isSafeInteger(length) || length <= 0) {
    sendError(response, 411, {
      code: ErrorCode.BadRequest,
      name: 'LengthRequired',
      message: 'The upload must say its size (Content-Length).',
    });
    return;
  }

  await mkdir(options.uploadDir, { recursive: true });
  // The upload and the copy into the models folder both live on disk until the import finishes.
  const free = await (options.freeBytes ?? diskFree)(options.uploadDir);
  const needed = 2 * length + DISK_MARGIN_BYTES;
  if (free < needed) {
    request.resume();
    sendError(response, 507, {
      code: ErrorCode.InsufficientDisk,
      name: 'InsufficientDisk',
      message: `Importing ${fileName} needs about ${formatGb(needed)} free; the disk has ${formatGb(free)}.`,
    });
    return;
  }

  // A folder of its own per upload, so the file keeps its name (the import names the model after it).
  const folder = join(options.uploadDir, randomBytes(8).toString('hex'));
  await mkdir(folder);
  const temp = join(folder, fileName);
  const controller = new AbortController();
  const onClose = () => {
    if (!response.writableEnded) controller.abort();
  };
  response.on('close', onClose);
  let outcome: { status: number; body: unknown };
  try {
    await pipeline(request, createWriteStream(temp, { flags: 'wx' }), { signal: controller.signal });
    const context: CallContext = {
      requestId: `upload-${randomBytes(4).toString('hex')}`,
      signal: controller.signal,
      emit: () => {},
    };
    // A temporary file must never be linked into the models folder: always copy it.
    const entry = await options.engine.handlers['models.import']({ path: temp, mode: 'copy' }, context);
    outcome = { status: 200, body: entry };
  } catch (error) {
    const serialized = serializeError(error);
    outcome = { status: statusFor(serialized.code), body: { error: serialized } };
  } finally {
    response.off('close', onClose);
    // Gone before the answer leaves, so nothing of the upload outlives the request.
    await rm(folder, { recursive: true, force: true });
  }
  if (!response.headersSent && !response.destroyed) sendJson(response, outcome.status, outcome.body);
}
