/**
 * Expands the paths a user added into files: folders are walked recursively (hidden entries
 * and dependency folders left out), each real folder once, so symbolic-link loops end.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describeFsError } from './parse/parseFile.js';

export type WalkEntry = { path: string; sizeBytes: number } | { path: string; problem: string };

const SKIPPED_DIRS = new Set(['node_modules', '__pycache__']);

export async function walkPaths(
  paths: readonly string[],
  options: { maxFiles?: number } = {},
): Promise<WalkEntry[]> {
  const maxFiles = options.maxFiles ?? 100_000;
  const entries: WalkEntry[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const visit = async (path: string, top: boolean): Promise<void> => {
    if (entries.length >= maxFiles) return;
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      entries.push({ path, problem: describeFsError(error) });
      return;
    }
    if (info.isDirectory()) {
      let real: string;
      try {
        real = await realpath(path);
      } catch (error) {
        entries.push({ path, problem: describeFsError(error) });
        return;
      }
      if (seenDirs.has(real)) {
        if (!top) entries.push({ path, problem: 'symbolic link loop (folder already included)' });
        return;
      }
      seenDirs.add(real);
      let children;
      try {
        children = await readdir(path, { withFileTypes: true });
      } catch (error) {
        entries.push({ path, problem: describeFsError(error) });
        return;
      }
      children.sort((a, b) => a.name.localeCompare(b.name));
      for (const child of children) {
        if (child.name.startsWith('.') || SKIPPED_DIRS.has(child.name)) continue;
        await visit(join(path, child.name), false);
      }
      return;
    }
    if (!info.isFile()) {
      entries.push({ path, problem: 'not a regular file' });
      return;
    }
    if (seenFiles.has(path)) return;
    seenFiles.add(path);
    entries.push({ path, sizeBytes: info.size });
  };

  for (const path of paths) await visit(resolve(path), true);
  return entries;
}
