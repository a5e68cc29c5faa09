/**
 * A fit badge for a model on this machine, from node-llama-cpp's own estimates (GgufInsights):
 * how many layers go on the GPU with the default context, and the memory model plus context
 * need. Judged against the machine's total memory (what it can do once other apps are closed),
 * not what happens to be free this second; the load itself checks free memory.
 */
import type { GgufInsights, Llama } from 'node-llama-cpp';
import type { HardwareInfo, ModelFit } from '../../common/api/contract.js';
import { contextSizeCandidates } from '../inference/contextSize.js';

/** Share of total RAM a model may take before the badge says it will not fit. */
const RAM_SHARE = 0.85;

export const FIT_LABELS: Record<ModelFit['level'], string> = {
  'gpu-full': 'runs fully on GPU',
  'gpu-partial': 'partly on GPU',
  cpu: 'CPU only, slow',
  'too-big': 'will not fit',
};

export async function estimateFit(
  insights: GgufInsights,
  llama: Llama,
  hardware: HardwareInfo,
  contextSize?: number,
): Promise<ModelFit> {
  const targetContext = contextSize ?? contextSizeCandidates(insights.trainContextSize)[0] ?? 2048;
  const totalLayers = insights.totalLayers;
  const unified = hardware.gpu === 'metal';
  const { resolvedValues } = await insights.configurationResolver.resolveAndScoreConfig(
    { targetContextSize: targetContext },
    {
      getVramState: async () => ({
        total: hardware.totalVramBytes,
        free: hardware.totalVramBytes,
        unifiedSize: unified ? hardware.totalVramBytes : 0,
      }),
      getRamState: async () => ({ total: hardware.totalRamBytes, free: hardware.totalRamBytes }),
      getSwapState: async () => ({ total: 0, free: 0 }),
      llamaGpu: hardware.gpu === false ? false : llama.gpu,
      llamaSupportsGpuOffloading: hardware.gpu !== false && llama.supportsGpuOffloading,
    },
  );
  const gpuLayers = hardware.gpu === false ? 0 : resolvedValues.gpuLayers;
  const ramBytes = resolvedValues.totalRamUsage;
  const vramBytes = resolvedValues.totalVramUsage;
  const estimatedBytes = ramBytes + vramBytes;
  let level: ModelFit['level'];
  if (
    ramBytes > hardware.totalRamBytes * RAM_SHARE ||
    (hardware.gpu !== false && vramBytes > hardware.totalVramBytes)
  ) {
    level = 'too-big';
  } else if (gpuLayers === 0) {
    level = 'cpu';
  } else {
    level = gpuLayers >= totalLayers ? 'gpu-full' : 'gpu-partial';
  }
  return {
    level,
    label: FIT_LABELS[level],
    estimatedBytes,
    gpuLayers,
    totalLayers,
    contextSize: resolvedValues.contextSize || targetContext,
  };
}
