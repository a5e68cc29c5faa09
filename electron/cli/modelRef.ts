/**
 * Finds the model a person meant by `--model`: an id, a file name (with or without .gguf), the
 * model's own name, or a path to a file. Pure: it reads the listing it is given, never the disk.
 */
import { isAbsolute, resolve } from 'node:path';
import type { ModelEntry } from '../common/api/contract.js';
import { CliError } from './errors.js';

export type ModelChoice = { kind: 'listed'; model: ModelEntry } | { kind: 'path'; path: string };

export function looksLikePath(reference: string): boolean {
  return reference.includes('/') || reference.includes('\\') || isAbsolute(reference);
}

function withoutExtension(fileName: string): string {
  return fileName.replace(/\.gguf$/i, '');
}

function usable(model: ModelEntry): ModelEntry {
  if (!model.usable) {
    throw new CliError(`Model '${model.id}' cannot be used: ${model.problem ?? 'unknown problem'}`);
  }
  return model;
}

/**
 * @param fileExists tells whether a path outside the listing is a file, so a mistyped path is
 *   reported as not found rather than passed on.
 */
export function chooseModel(
  reference: string,
  models: readonly ModelEntry[],
  where: { modelsDir: string; cwd: string; fileExists: (path: string) => boolean },
): ModelChoice {
  const byId = models.find((model) => model.id === reference);
  if (byId) return { kind: 'listed', model: usable(byId) };

  if (looksLikePath(reference)) {
    const path = resolve(where.cwd, reference);
    const listed = models.find((model) => resolve(model.path) === path);
    if (listed) return { kind: 'listed', model: usable(listed) };
    if (where.fileExists(path)) return { kind: 'path', path };
    throw new CliError(`Model file '${path}' not found.`);
  }

  const wanted = reference.toLowerCase();
  const matches = models.filter(
    (model) =>
      model.fileName.toLowerCase() === wanted ||
      withoutExtension(model.fileName).toLowerCase() === wanted ||
      model.name?.toLowerCase() === wanted,
  );
  const [first, second] = matches;
  if (first && !second) return { kind: 'listed', model: usable(first) };
  if (first && second) {
    const ids = matches.map((model) => model.id).join(', ');
    throw new CliError(`Model '${reference}' is ambiguous: it matches ${ids}; give the id.`);
  }
  throw new CliError(`Model '${reference}' not found in ${where.modelsDir}`);
}
