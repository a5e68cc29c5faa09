/** Turns a contract model id (a path relative to the models folder) into a file path, safely. */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ModelNotFoundError } from '../errors/index.js';

export function resolveModelPath(modelsDir: string, modelId: string): string {
  const root = resolve(modelsDir);
  const path = resolve(root, modelId);
  const inside = relative(root, path);
  // Ids come from callers (a window, a socket): never let one name a file outside the folder.
  const outside = inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
  if (!inside || outside || !modelId.toLowerCase().endsWith('.gguf')) {
    throw new ModelNotFoundError(`No model "${modelId}" in the models folder.`);
  }
  return path;
}
