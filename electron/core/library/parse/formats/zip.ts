/**
 * Zip access with a bomb guard: the total a file may expand to is capped, both by what the
 * archive declares and by what actually comes out while inflating (headers can lie).
 */
import JSZip from 'jszip';
import { ParseProblemError } from '../types.js';

interface ZipStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): ZipStream;
  on(event: 'error', listener: (error: Error) => void): ZipStream;
  on(event: 'end', listener: () => void): ZipStream;
  pause(): ZipStream;
  resume(): ZipStream;
}

export class CappedZip {
  private inflated = 0;

  private constructor(
    readonly zip: JSZip,
    private readonly maxBytes: number,
  ) {}

  static async open(data: Uint8Array, maxBytes: number): Promise<CappedZip> {
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(data);
    } catch (error) {
      throw new ParseProblemError('failed', `corrupt archive: ${(error as Error).message}`);
    }
    let declared = 0;
    zip.forEach((_path, file) => {
      // JSZip keeps the central directory's sizes on a private field.
      declared += (file as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0;
    });
    if (declared > maxBytes) throw bomb(declared, maxBytes);
    return new CappedZip(zip, maxBytes);
  }

  get entries(): Set<string> {
    return new Set(Object.keys(this.zip.files));
  }

  /** An entry's bytes, or undefined when absent; stops inflating once the cap is passed. */
  async bytes(name: string): Promise<Uint8Array | undefined> {
    const file = this.zip.file(name);
    if (!file) return undefined;
    const chunks: Uint8Array[] = [];
    await new Promise<void>((resolve, reject) => {
      // internalStream inflates chunk by chunk (it is public API, missing from the typings).
      const stream = (file as unknown as { internalStream(type: 'uint8array'): ZipStream }).internalStream(
        'uint8array',
      );
      stream
        .on('data', (chunk: Uint8Array) => {
          this.inflated += chunk.length;
          if (this.inflated > this.maxBytes) {
            stream.pause();
            reject(bomb(this.inflated, this.maxBytes));
            return;
          }
          chunks.push(chunk);
        })
        .on('error', (error: Error) =>
          reject(new ParseProblemError('failed', `corrupt archive: ${error.message}`)),
        )
        .on('end', () => resolve())
        .resume();
    });
    return Buffer.concat(chunks);
  }

  async text(name: string): Promise<string | undefined> {
    const bytes = await this.bytes(name);
    return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
  }
}

function bomb(bytes: number, max: number): ParseProblemError {
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  return new ParseProblemError(
    'skipped',
    `archive expands to more than ${mb(max)} (${mb(bytes)} or more): refused as a possible zip bomb`,
  );
}
