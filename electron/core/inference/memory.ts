/**
 * Memory checks before loading: node-llama-cpp's estimates for the model and its context,
 * against what a probe says is free. The probe is injected so tests can play a small machine.
 */
import { freemem, totalmem } from 'node:os';
import type { GgufInsights, Llama } from 'node-llama-cpp';

export interface MemorySnapshot {
  /** Memory a model could use now: free RAM, plus free VRAM when a GPU is in use. */
  freeBytes: number;
  totalBytes: number;
}

export type MemoryProbe = (llama: Llama) => Promise<MemorySnapshot>;

export const systemMemoryProbe: MemoryProbe = async (llama) => {
  let freeBytes = freemem();
  let totalBytes = totalmem();
  if (llama.gpu !== false) {
    const vram = await llama.getVramState();
    // On unified memory (Apple silicon) VRAM is the same RAM: do not count it twice.
    freeBytes += Math.max(0, vram.free - vram.unifiedSize);
    totalBytes += Math.max(0, vram.total - vram.unifiedSize);
  }
  return { freeBytes, totalBytes };
};

/** Bytes the model and a context of `contextSize` tokens will take (RAM and VRAM together). */
export async function estimateLoadBytes(
  insights: GgufInsights,
  contextSize: number,
  gpuLayers: number,
): Promise<number> {
  const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers });
  const context = await insights.estimateContextResourceRequirementsV2({
    contextSize,
    modelGpuLayers: gpuLayers,
    sequences: 1,
  });
  return model.cpuRam + model.gpuVram + context.cpuRam + context.gpuVram;
}

/** "4.2 GB", "380 MB": one unit for a pair of numbers so they compare at a glance. */
export function formatBytesPair(a: number, b: number): [string, string] {
  const largest = Math.max(a, b);
  const [unit, size] =
    largest >= 1e9
      ? (['GB', 1e9] as const)
      : largest >= 1e6
        ? (['MB', 1e6] as const)
        : (['KB', 1e3] as const);
  const format = (value: number) => {
    const scaled = value / size;
    const digits = unit === 'GB' && scaled < 100 ? 1 : 0;
    return `${scaled.toFixed(digits)} ${unit}`;
  };
  return [format(a), format(b)];
}
