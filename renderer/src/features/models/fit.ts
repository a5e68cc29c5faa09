/** Plain words about how a model fits this machine. */
import type { ModelFit } from '../../../../electron/common/api/contract.js';
import { formatBytes, formatCount } from './format.js';

/** "Needs about 5.1 GB with a 8,192-token context; 20 of 32 layers on the GPU." */
export function fitTitle(fit: ModelFit): string {
  const memory = `Needs about ${formatBytes(fit.estimatedBytes)} with a ${formatCount(fit.contextSize)}-token context`;
  if (fit.level === 'too-big') return `${memory}: more than this computer has free.`;
  if (fit.totalLayers > 0 && fit.gpuLayers > 0) {
    return `${memory}; ${fit.gpuLayers} of ${fit.totalLayers} layers on the GPU.`;
  }
  return `${memory}, on the CPU.`;
}
