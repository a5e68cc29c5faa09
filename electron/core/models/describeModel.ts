/** A models-folder entry from a GGUF header; a bad file becomes `usable: false` with the reason. */
import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { GgufFileInfo } from 'node-llama-cpp';
import type { ModelEntry } from '../../common/api/contract.js';
import { HearthError } from '../../common/api/errors.js';
import { splitPartNames } from './downloads/sources.js';
import { inspectModelFile } from './inspectModelFile.js';
import { quantizationOf } from './quantization.js';
import { parameterCount } from './tensorBytes.js';

export function modelIdOf(path: string, modelsDir: string): string {
  return relative(modelsDir, path).split(sep).join('/');
}

/** Adds what the header alone does not say (sha256, fit, ...) to a usable entry. */
export type EnrichEntry = (entry: ModelEntry, info: GgufFileInfo) => Promise<ModelEntry>;

export async function describeModel(
  path: string,
  modelsDir: string,
  enrich?: EnrichEntry,
): Promise<ModelEntry> {
  const base = {
    id: modelIdOf(path, modelsDir),
    fileName: basename(path),
    path,
  };
  try {
    const { info, totalBytes: sizeBytes } = await inspectModelFile(path);
    const contextLength = info.architectureMetadata.context_length;
    const entry: ModelEntry = {
      ...base,
      sizeBytes,
      usable: true,
      name: info.metadata.general?.name || basename(path, '.gguf'),
      architecture: info.metadata.general?.architecture,
      parameterCount: parameterCount(info.fullTensorInfo ?? []),
      quantization: quantizationOf(info),
      contextLength: typeof contextLength === 'number' ? contextLength : undefined,
      kind:
        (info.metadata.general as { type?: unknown } | undefined)?.type === 'adapter' ? 'adapter' : 'model',
    };
    return enrich ? await enrich(entry, info) : entry;
  } catch (error) {
    const problem =
      error instanceof HearthError
        ? error.message
        : `The file could not be read: ${error instanceof Error ? error.message : String(error)}`;
    // A split model's size is every part found on disk, even when some are missing.
    const sizes = await Promise.all(
      splitPartNames(basename(path)).map((name) =>
        stat(join(dirname(path), name)).then(
          (stats) => stats.size,
          () => 0,
        ),
      ),
    );
    const sizeBytes = sizes.reduce((sum, size) => sum + size, 0);
    return { ...base, sizeBytes, usable: false, problem };
  }
}
