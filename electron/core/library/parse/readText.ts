/**
 * Reads a text file in any common encoding, streamed, keeping at most `maxChars` characters, so a
 * 2 GB log never sits in memory whole. The encoding comes from a BOM, else from chardet's guess.
 */
import { createReadStream } from 'node:fs';
import chardet from 'chardet';
import iconv from 'iconv-lite';

export interface ReadTextResult {
  text: string;
  encoding: string;
  /** True when the file had more text than `maxChars`. */
  truncated: boolean;
}

export function detectEncoding(sample: Uint8Array): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  if (isValidUtf8(sample)) return 'utf-8';
  const guess = chardet.detect(sample);
  return guess && iconv.encodingExists(guess) ? guess.toLowerCase() : 'windows-1252';
}

/** Valid UTF-8, allowing a sequence cut at the very end of the sample. */
function isValidUtf8(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    const need = byte < 0x80 ? 0 : byte >> 5 === 6 ? 1 : byte >> 4 === 14 ? 2 : byte >> 3 === 30 ? 3 : -1;
    if (need < 0) return false;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return true;
      if ((bytes[i + k]! & 0xc0) !== 0x80) return false;
    }
    i += need + 1;
  }
  return true;
}

export async function readTextFile(
  path: string,
  sample: Uint8Array,
  maxChars: number,
  signal?: AbortSignal,
): Promise<ReadTextResult> {
  const encoding = detectEncoding(sample);
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  const parts: string[] = [];
  let length = 0;
  let truncated = false;
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = decoder.write(chunk);
    if (length + text.length >= maxChars) {
      parts.push(text.slice(0, maxChars - length));
      length = maxChars;
      truncated = true;
      stream.destroy();
      break;
    }
    parts.push(text);
    length += text.length;
  }
  if (!truncated) parts.push(decoder.end() ?? '');
  return { text: parts.join(''), encoding, truncated };
}
