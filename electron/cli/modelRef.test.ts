import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '../common/api/contract.js';
import { CliError } from './errors.js';
import { chooseModel } from './modelRef.js';

const modelsDir = '/data/models';
function entry(id: string, extra: Partial<ModelEntry> = {}): ModelEntry {
  const fileName = id.split('/').pop() ?? id;
  return { id, fileName, path: `${modelsDir}/${id}`, sizeBytes: 1, usable: true, ...extra };
}
const models = [
  entry('tiny.gguf', { name: 'Tiny Llama' }),
  entry('qwen/Qwen3-4B-Q4_K_M.gguf', { name: 'Qwen3 4B' }),
  entry('a/same.gguf'),
  entry('b/same.gguf'),
  entry('broken.gguf', { usable: false, problem: 'Not a GGUF file.' }),
];
const where = (files: string[] = []) => ({
  modelsDir,
  cwd: '/work',
  fileExists: (p: string) => files.includes(p),
});

describe('chooseModel', () => {
  it.each([
    ['tiny.gguf', 'tiny.gguf'],
    ['tiny', 'tiny.gguf'],
    ['TINY', 'tiny.gguf'],
    ['tiny llama', 'tiny.gguf'],
    ['qwen/Qwen3-4B-Q4_K_M.gguf', 'qwen/Qwen3-4B-Q4_K_M.gguf'],
    ['Qwen3-4B-Q4_K_M', 'qwen/Qwen3-4B-Q4_K_M.gguf'],
    ['Qwen3 4B', 'qwen/Qwen3-4B-Q4_K_M.gguf'],
    ['a/same.gguf', 'a/same.gguf'],
    ['/data/models/tiny.gguf', 'tiny.gguf'],
    ['../data/models/b/same.gguf', 'b/same.gguf'],
  ])('finds %s as %s', (reference, id) => {
    const choice = chooseModel(reference, models, where());
    expect(choice).toEqual({ kind: 'listed', model: models.find((m) => m.id === id) });
  });

  it('takes an existing file outside the models folder as a path, relative to the working folder', () => {
    expect(chooseModel('./other/x.gguf', models, where(['/work/other/x.gguf']))).toEqual({
      kind: 'path',
      path: '/work/other/x.gguf',
    });
  });

  it.each([
    ['nope', "Model 'nope' not found in /data/models"],
    ['./missing.gguf', "Model file '/work/missing.gguf' not found."],
    ['same', "Model 'same' is ambiguous: it matches a/same.gguf, b/same.gguf; give the id."],
    ['broken', "Model 'broken.gguf' cannot be used: Not a GGUF file."],
  ])('explains %s', (reference, message) => {
    expect(() => chooseModel(reference, models, where())).toThrow(CliError);
    expect(() => chooseModel(reference, models, where())).toThrow(message);
  });
});
