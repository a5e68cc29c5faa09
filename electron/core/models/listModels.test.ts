import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureTestModel,
  writeNotAGguf,
  writeTestModel,
  writeTruncatedCopy,
} from '../../../test/support/index.js';
import { ModelInvalidError, ModelNotFoundError } from '../errors/index.js';
import { inspectModelFile } from './inspectModelFile.js';
import { isListedModelFile, listModels } from './listModels.js';
import { resolveModelPath } from './resolveModelPath.js';

let root: string;
let modelsDir: string;
let testModel: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hearth-models-'));
  modelsDir = join(root, 'models');
  testModel = await ensureTestModel();
  await mkdir(modelsDir, { recursive: true });
  await copyFile(testModel, join(modelsDir, 'good.gguf'));
  await writeTestModel(join(modelsDir, 'family', 'Other.GGUF'), {
    seed: 5,
    name: 'Other',
    contextLength: 2048,
  });
  await writeNotAGguf(join(modelsDir, 'notes.gguf'));
  await writeTruncatedCopy(testModel, join(modelsDir, 'half.gguf'));
  await writeTruncatedCopy(testModel, join(modelsDir, 'header-only.gguf'), 4000);
  await writeFile(join(modelsDir, 'empty.gguf'), '');
  // Not listed: a partial download, a hidden temporary file, other files, a split model's later part.
  await writeTruncatedCopy(testModel, join(modelsDir, 'downloading.gguf.part'));
  await writeTruncatedCopy(testModel, join(modelsDir, '.good.gguf.tmp.gguf'));
  await writeFile(join(modelsDir, 'README.txt'), 'hello');
  await writeNotAGguf(join(modelsDir, 'big-00002-of-00003.gguf'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('listModels', () => {
  it('lists every .gguf with metadata from its header, and bad files with the reason', async () => {
    const models = await listModels(modelsDir);
    expect(models.map((model) => model.id)).toEqual([
      'empty.gguf',
      'family/Other.GGUF',
      'good.gguf',
      'half.gguf',
      'header-only.gguf',
      'notes.gguf',
    ]);
    const byId = new Map(models.map((model) => [model.id, model]));

    expect(byId.get('good.gguf')).toMatchObject({
      fileName: 'good.gguf',
      path: join(modelsDir, 'good.gguf'),
      usable: true,
      name: 'Hearth test model (seed 1)',
      architecture: 'llama',
      quantization: 'F32',
      contextLength: 4096,
    });
    const good = byId.get('good.gguf');
    expect(good?.parameterCount).toBeGreaterThan(100_000);
    expect(good?.parameterCount).toBeLessThan(300_000);
    expect(good?.sizeBytes).toBeGreaterThan(good?.parameterCount ?? 0);
    expect(good?.problem).toBeUndefined();
    expect(byId.get('family/Other.GGUF')).toMatchObject({ usable: true, name: 'Other', contextLength: 2048 });

    expect(byId.get('notes.gguf')).toMatchObject({
      usable: false,
      problem: expect.stringMatching(/not a GGUF/),
    });
    expect(byId.get('half.gguf')).toMatchObject({
      usable: false,
      problem: expect.stringMatching(/incomplete: it has \d+ of \d+ bytes \(50%\)/),
    });
    expect(byId.get('header-only.gguf')).toMatchObject({
      usable: false,
      problem: expect.stringMatching(/truncated/),
    });
    expect(byId.get('empty.gguf')).toMatchObject({
      usable: false,
      sizeBytes: 0,
      problem: 'The file is empty.',
    });
    for (const bad of ['notes.gguf', 'half.gguf', 'header-only.gguf']) {
      expect(byId.get(bad)?.name).toBeUndefined();
      expect(byId.get(bad)?.sizeBytes).toBeGreaterThan(0);
    }
  });

  it('gives an empty list for a missing folder', async () => {
    expect(await listModels(join(root, 'no-such-folder'))).toEqual([]);
  });

  it('reads a real model when HEARTH_TEST_MODEL names one', async (context) => {
    const real = process.env.HEARTH_TEST_MODEL;
    if (!real) return context.skip('HEARTH_TEST_MODEL is not set');
    const inspected = await inspectModelFile(real);
    expect(inspected.info.metadata.general?.architecture).toBeTruthy();
  });
});

describe('isListedModelFile', () => {
  it('skips partial downloads, hidden files and later split parts', () => {
    expect(isListedModelFile('model.gguf')).toBe(true);
    expect(isListedModelFile('Model.GGUF')).toBe(true);
    expect(isListedModelFile('big-00001-of-00003.gguf')).toBe(true);
    expect(isListedModelFile('big-00002-of-00003.gguf')).toBe(false);
    expect(isListedModelFile('model.gguf.part')).toBe(false);
    expect(isListedModelFile('.model.gguf')).toBe(false);
  });
});

describe('inspectModelFile', () => {
  it('throws typed errors', async () => {
    await expect(inspectModelFile(join(modelsDir, 'missing.gguf'))).rejects.toBeInstanceOf(
      ModelNotFoundError,
    );
    await expect(inspectModelFile(join(modelsDir, 'notes.gguf'))).rejects.toBeInstanceOf(ModelInvalidError);
    await expect(inspectModelFile(join(modelsDir, 'half.gguf'))).rejects.toBeInstanceOf(ModelInvalidError);
    await expect(inspectModelFile(modelsDir)).rejects.toBeInstanceOf(ModelNotFoundError);
  });
});

describe('resolveModelPath', () => {
  it('keeps ids inside the models folder', () => {
    expect(resolveModelPath(modelsDir, 'family/Other.GGUF')).toBe(join(modelsDir, 'family', 'Other.GGUF'));
    for (const id of ['../secret.gguf', '/etc/passwd.gguf', 'family/../../x.gguf', 'notes.txt', '.', '']) {
      expect(() => resolveModelPath(modelsDir, id)).toThrow(ModelNotFoundError);
    }
  });
});
