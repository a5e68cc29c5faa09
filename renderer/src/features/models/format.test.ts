import { describe, expect, it } from 'vitest';
import { formatBytes, formatParameterCount, modelDisplayName } from './format.js';

describe('model formatting', () => {
  it('names a model by its header name unless that only repeats the architecture', () => {
    expect(
      modelDisplayName({ name: 'Llama 3.2 3B Instruct', fileName: 'a.gguf', architecture: 'llama' }),
    ).toBe('Llama 3.2 3B Instruct');
    expect(modelDisplayName({ name: 'llama', fileName: 'stories260K.gguf', architecture: 'llama' })).toBe(
      'stories260K',
    );
    expect(modelDisplayName({ fileName: 'Qwen2.5-7B.GGUF' })).toBe('Qwen2.5-7B');
  });

  it('writes sizes and parameter counts briefly', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_185_376)).toBe('1.1 MB');
    expect(formatBytes(2_019_377_696)).toBe('1.9 GB');
    expect(formatParameterCount(292_480)).toBe('292K');
    expect(formatParameterCount(3_212_749_888)).toBe('3.2B');
    expect(formatParameterCount(70_553_706_496)).toBe('71B');
  });
});
