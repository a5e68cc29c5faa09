/**
 * Turns what a user asks to download (a catalog id, `hf:owner/repo/file.gguf`, or a URL) into
 * the files to fetch. A split GGUF (`-00001-of-0000N.gguf`) becomes all of its parts.
 */
import type { CatalogEntry } from '../../../common/api/contract.js';
import { CatalogEntryNotFoundError } from '../../errors/index.js';

export const DEFAULT_HF_BASE = 'https://huggingface.co';

export interface PlannedFile {
  url: string;
  /** Its name in the models folder. */
  fileName: string;
  /** From the catalog, when it has one; otherwise the server's LFS hash is used. */
  expectedSha256?: string;
  totalBytes?: number;
}

export interface DownloadPlan {
  source: string;
  name: string;
  files: PlannedFile[];
  license?: string;
}

const SPLIT = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

/** All part names of a split model given any part's name; [name] for a single file. */
export function splitPartNames(fileName: string): string[] {
  const match = SPLIT.exec(fileName);
  if (!match) return [fileName];
  const [, stem, , count] = match;
  const total = Number(count);
  return Array.from(
    { length: total },
    (_, i) => `${stem}-${String(i + 1).padStart(5, '0')}-of-${count}.gguf`,
  );
}

function hfUrl(base: string, repo: string, revision: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${base.replace(/\/+$/, '')}/${repo}/resolve/${encodeURIComponent(revision)}/${path}`;
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/**
 * A catalog quantization's files, each split model's parts all listed (a catalog may name only
 * the first part, or every part), in order and once each.
 */
function catalogFiles(files: readonly string[]): string[] {
  const all: string[] = [];
  for (const file of files) {
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const part of splitPartNames(baseName(file))) if (!all.includes(dir + part)) all.push(dir + part);
  }
  return all;
}

export interface PlanOptions {
  catalog: () => Promise<readonly CatalogEntry[]>;
  hfBase: string;
}

export async function planDownload(
  source: string,
  quantization: string | undefined,
  options: PlanOptions,
): Promise<DownloadPlan> {
  const trimmed = source.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    const url = new URL(trimmed);
    const fileName = decodeURIComponent(baseName(url.pathname));
    if (!fileName.toLowerCase().endsWith('.gguf')) {
      throw new CatalogEntryNotFoundError(`The address does not name a .gguf file: ${trimmed}`);
    }
    const parts = splitPartNames(fileName);
    const files = parts.map((part) => ({
      url: new URL(encodeURIComponent(part), url).toString(),
      fileName: part,
    }));
    return { source: trimmed, name: fileName.replace(/\.gguf$/i, ''), files };
  }
  if (trimmed.startsWith('hf:')) {
    const match = /^hf:([^/\s]+\/[^/\s]+)\/(.+\.gguf)$/i.exec(trimmed);
    if (!match) {
      throw new CatalogEntryNotFoundError(`Use hf:owner/repo/file.gguf (got "${trimmed}").`);
    }
    const [, repo = '', file = ''] = match;
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    const parts = splitPartNames(baseName(file));
    return {
      source: trimmed,
      name: baseName(file).replace(/\.gguf$/i, ''),
      files: parts.map((part) => ({ url: hfUrl(options.hfBase, repo, 'main', dir + part), fileName: part })),
    };
  }
  // A catalog id, optionally with ":QUANT".
  const [entryId = '', quantFromId] = trimmed.split(':');
  const entry = (await options.catalog()).find((candidate) => candidate.id === entryId);
  if (!entry) throw new CatalogEntryNotFoundError(`No catalog entry "${entryId}".`);
  const quantName = quantization ?? quantFromId ?? entry.recommended;
  const quant = entry.quantizations.find((q) => q.name.toLowerCase() === quantName.toLowerCase());
  if (!quant) {
    const names = entry.quantizations.map((q) => q.name).join(', ');
    throw new CatalogEntryNotFoundError(`${entry.name} has no ${quantName} file (it has ${names}).`);
  }
  return {
    source: entry.id,
    name: `${entry.name} ${quant.name}`,
    license: entry.license,
    files: catalogFiles(quant.files).map((file, index, all) => ({
      url: hfUrl(options.hfBase, entry.repo, entry.revision ?? 'main', file),
      fileName: baseName(file),
      ...(index === 0 && quant.sha256 ? { expectedSha256: quant.sha256 } : {}),
      ...(all.length === 1 && quant.sizeBytes ? { totalBytes: quant.sizeBytes } : {}),
    })),
  };
}
