/**
 * How recommendations scale with the machine, on the bundled catalog. The fit estimator itself is
 * exercised for real in setup.test.ts; here a stand-in answers from each entry's size, so the
 * choice per machine (GPU memory, RAM, cores) is visible on its own.
 */
import { describe, expect, it } from 'vitest';
import bundled from '../../../resources/catalog.json';
import type { CatalogEntry, HardwareInfo, ModelFit } from '../../common/api/contract.js';
import { parseCatalog } from '../models/catalog/catalog.js';
import { fileBytesEstimate, recommendModels } from './recommend.js';

const catalog = parseCatalog(bundled, 'bundled');
const GB = 1024 ** 3;

function machine(overrides: Partial<HardwareInfo>): HardwareInfo {
  return {
    totalRamBytes: 16 * GB,
    freeRamBytes: 8 * GB,
    gpu: false,
    gpuNames: [],
    totalVramBytes: 0,
    freeVramBytes: 0,
    cpuCores: 8,
    ...overrides,
  };
}

/** Fits fully on a GPU with room for it, else on the CPU, from the file size plus a quarter. */
function sizeFit(hardware: HardwareInfo, checked: string[]) {
  return async (entryId: string): Promise<ModelFit> => {
    checked.push(entryId);
    const entry = catalog.find((item) => item.id === entryId) as CatalogEntry;
    const bytes = fileBytesEstimate(entry) * 1.25;
    const gpu = hardware.gpu !== false && bytes <= hardware.totalVramBytes;
    return {
      level: gpu ? 'gpu-full' : bytes > hardware.totalRamBytes * 0.85 ? 'too-big' : 'cpu',
      label: '',
      estimatedBytes: bytes,
      gpuLayers: gpu ? 36 : 0,
      totalLayers: 36,
      contextSize: 8192,
    };
  };
}

async function pick(hardware: HardwareInfo) {
  const checked: string[] = [];
  const result = await recommendModels({
    catalog,
    hardware,
    fit: sizeFit(hardware, checked),
    installed: new Set(),
  });
  return {
    chat: result.chat?.entryId,
    embedding: result.embedding?.entryId,
    reason: result.chat?.reason,
    checked,
  };
}

describe('recommendations by machine (bundled catalog)', () => {
  it('gives a 24 GB GPU a large model and a 8 GB GPU a mid-sized one, saying why', async () => {
    const big = await pick(machine({ gpu: 'cuda', gpuNames: ['NVIDIA RTX 4090'], totalVramBytes: 24 * GB }));
    expect(big.chat).toBe('gemma-3-27b');
    expect(big.reason).toMatch(/fully on your NVIDIA RTX 4090 \(24\.0 GB of video memory\)/);
    const mid = await pick(machine({ gpu: 'vulkan', gpuNames: ['AMD Radeon'], totalVramBytes: 8 * GB }));
    expect(mid.chat).toBe('llama-3.1-8b');
    expect(mid.embedding).toBe('qwen3-embedding-0.6b');
  });

  it('keeps CPU-only machines to models that answer briskly, by their cores', async () => {
    expect((await pick(machine({ cpuCores: 8, totalRamBytes: 32 * GB }))).chat).toBe('llama-3.1-8b');
    expect((await pick(machine({ cpuCores: 4 }))).chat).toBe('gemma-3-4b');
    const small = await pick(machine({ cpuCores: 2, totalRamBytes: 4 * GB }));
    expect(small.chat).toBe('llama-3.2-1b');
    expect(small.reason).toMatch(/processor \(2 cores; no supported GPU was found\)/);
  });

  it('reads at most three headers per kind, and prefers models that answer without thinking first', async () => {
    const result = await pick(machine({ cpuCores: 16, totalRamBytes: 64 * GB }));
    expect(result.checked.length).toBeLessThanOrEqual(4);
    expect(result.checked.filter((id) => /^(deepseek-r1|qwen3-\d)/.test(id))).toEqual([]);
  });
});
