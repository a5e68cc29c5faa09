/**
 * Lists every `.gguf` file under the models folder (recursively) with its header metadata.
 * Partial downloads (`*.gguf.part`, hidden temporary files) and the later parts of a split
 * model are skipped; a missing folder is an empty list; one bad file never fails the list.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelEntry } from '../../common/api/contract.js';
import { describeModel, type EnrichEntry } from './describeModel.js';

const MAX_DEPTH = 8;
const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/i;

export function isListedModelFile(fileName: string): boolean {
  if (fileName.startsWith('.') || !fileName.toLowerCase().endsWith('.gguf')) return false;
  const split = SPLIT_PART.exec(fileName);
  // Split models load from their first part, which names the rest.
  return !split || Number(split[1]) === 1;
}

async function isFile(path: string, entry: Dirent): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  return stat(path).then(
    (stats) => stats.isFile(),
    () => false,
  );
}

async function findModelFiles(dir: string, depth: number, found: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // Missing or unreadable folder: nothing to list there.
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH && !entry.name.startsWith('.')) await findModelFiles(path, depth + 1, found);
    } else if (isListedModelFile(entry.name) && (await isFile(path, entry))) {
      found.push(path);
    }
  }
}

export async function listModels(modelsDir: string, enrich?: EnrichEntry): Promise<ModelEntry[]> {
  const files: string[] = [];
  await findModelFiles(modelsDir, 0, files);
  const entries = await Promise.all(files.map((path) => describeModel(path, modelsDir, enrich)));
  return entries.sort((a, b) => a.id.localeCompare(b.id));
}
