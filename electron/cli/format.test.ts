import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '../common/api/contract.js';
import { formatBytes, formatCount, formatModelTable } from './format.js';

describe('formatting for people', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1_500, '1.5 KB'],
    [1_130_000, '1.1 MB'],
    [4_370_000_000, '4.4 GB'],
    [43_000_000_000, '43 GB'],
  ])('formatBytes(%d) = %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it.each([
    [512, '512'],
    [260_000, '260K'],
    [1_000_000, '1M'],
    [7_241_732_096, '7.2B'],
    [70_553_706_496, '71B'],
  ])('formatCount(%d) = %s', (count, text) => expect(formatCount(count)).toBe(text));

  it('aligns the models table and gives an unusable file its reason', () => {
    const models: ModelEntry[] = [
      {
        id: 'tiny.gguf',
        fileName: 'tiny.gguf',
        path: '/m/tiny.gguf',
        sizeBytes: 600_000,
        usable: true,
        name: 'Tiny',
        architecture: 'llama',
        parameterCount: 150_000,
        quantization: 'F32',
        contextLength: 4096,
      },
      {
        id: 'folder/broken-model.gguf',
        fileName: 'broken-model.gguf',
        path: '/m/folder/broken-model.gguf',
        sizeBytes: 12,
        usable: false,
        problem: 'Not a GGUF file.',
      },
    ];
    expect(formatModelTable(models).split('\n')).toEqual([
      'ID                        NAME  SIZE    ARCH   PARAMS  QUANT  CTX',
      'tiny.gguf                 Tiny  600 KB  llama  150K    F32    4096',
      'folder/broken-model.gguf  -     12 B    unusable: Not a GGUF file.',
    ]);
  });
});
