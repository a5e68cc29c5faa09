/**
 * Finds GGUF files in other apps' model folders. A file counts only when it starts with the GGUF
 * magic; Ollama's blobs are named by digest, so its manifests (Docker-style JSON) give the names.
 * Nothing is copied or changed: the user imports what they choose, by reference.
 */
import type { Dirent } from 'node:fs';
import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { DetectedFolder, DetectedModel } from '../../common/api/contract.js';
import type { FolderCandidate } from './modelFolders.js';

const MAX_DEPTH = 6;
const OLLAMA_MODEL_LAYER = 'application/vnd.ollama.image.model';

const OllamaManifest = z.object({
  layers: z.array(z.object({ mediaType: z.string(), digest: z.string(), size: z.number().optional() })),
});

export async function isGgufFile(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    return bytesRead === 4 && magic.toString('latin1') === 'GGUF';
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** A file name for the models folder: safe characters only, ending in .gguf. */
export function importNameFor(name: string): string {
  const base = name
    .replace(/\.gguf$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return `${base || 'model'}.gguf`;
}

const SPLIT_LATER_PART = /-(\d{5})-of-\d{5}\.gguf$/i;

async function findGgufFiles(
  dir: string,
  depth: number,
  found: string[],
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH && !entry.name.startsWith('.'))
        await findGgufFiles(path, depth + 1, found, signal);
      continue;
    }
    if (!/\.gguf$/i.test(entry.name) || entry.name.startsWith('.')) continue;
    const split = SPLIT_LATER_PART.exec(entry.name);
    // A split model is imported from its first part, which names the rest.
    if (split && Number(split[1]) !== 1) continue;
    found.push(path);
  }
}

async function describe(
  path: string,
  name: string,
  linked: ReadonlySet<string>,
): Promise<DetectedModel | null> {
  if (!(await isGgufFile(path))) return null;
  const stats = await stat(path).catch(() => null);
  if (!stats?.isFile()) return null;
  const real = await realpath(path).catch(() => path);
  return {
    path,
    name,
    importName: importNameFor(name),
    sizeBytes: stats.size,
    imported: linked.has(path) || linked.has(real),
  };
}

async function scanFiles(
  folder: string,
  linked: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<DetectedModel[]> {
  const files: string[] = [];
  await findGgufFiles(folder, 0, files, signal);
  const models: DetectedModel[] = [];
  for (const path of files.sort()) {
    // LM Studio and Jan keep publisher/repo folders: the file name says enough.
    const model = await describe(path, basename(path), linked);
    if (model) models.push(model);
  }
  return models;
}

/** "registry.ollama.ai/library/llama3.2/latest" -> "llama3.2:latest"; other namespaces keep theirs. */
export function ollamaModelName(manifestPath: string): string {
  const parts = manifestPath.split(/[\\/]/).filter(Boolean);
  const tag = parts.pop() ?? 'latest';
  const model = parts.pop() ?? 'model';
  const namespace = parts.pop();
  const registry = parts.pop();
  const prefix = namespace && namespace !== 'library' ? `${namespace}/` : '';
  const host = registry && registry !== 'registry.ollama.ai' ? `${registry}/` : '';
  return `${host}${prefix}${model}:${tag}`;
}

async function findManifests(dir: string, depth: number, found: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < 4) await findManifests(path, depth + 1, found);
    } else if (entry.isFile()) {
      found.push(path);
    }
  }
}

async function scanOllama(
  folder: string,
  linked: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<DetectedModel[]> {
  const manifestsDir = join(folder, 'manifests');
  const manifests: string[] = [];
  await findManifests(manifestsDir, 0, manifests);
  const models: DetectedModel[] = [];
  const seen = new Set<string>();
  for (const manifestPath of manifests.sort()) {
    signal?.throwIfAborted();
    let manifest;
    try {
      manifest = OllamaManifest.parse(JSON.parse(await readFile(manifestPath, 'utf8')));
    } catch {
      continue; // Not a manifest (or a newer shape): skip it, never fail the scan.
    }
    const layer = manifest.layers.find((item) => item.mediaType === OLLAMA_MODEL_LAYER);
    if (!layer || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) continue;
    const blob = join(folder, 'blobs', layer.digest.replace(':', '-'));
    if (seen.has(blob)) continue; // Two tags of one model share a blob.
    const name = ollamaModelName(relative(manifestsDir, manifestPath).split(sep).join('/'));
    const model = await describe(blob, name, linked);
    if (model) {
      seen.add(blob);
      models.push(model);
    }
  }
  return models;
}

/**
 * Every candidate folder that exists and holds at least one model. `linked` holds the source paths
 * already imported into Hearth, so they are marked.
 */
export async function scanModelFolders(
  candidates: readonly FolderCandidate[],
  linked: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<DetectedFolder[]> {
  const folders: DetectedFolder[] = [];
  const seenFolders = new Set<string>();
  for (const candidate of candidates) {
    const real = await realpath(candidate.folder).catch(() => null);
    if (!real || seenFolders.has(real)) continue;
    seenFolders.add(real);
    const models =
      candidate.layout === 'ollama'
        ? await scanOllama(candidate.folder, linked, signal)
        : await scanFiles(candidate.folder, linked, signal);
    if (models.length > 0) folders.push({ app: candidate.app, folder: candidate.folder, models });
  }
  return folders;
}
