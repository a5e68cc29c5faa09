/** What this machine has: RAM from the OS, GPU type, names and VRAM from node-llama-cpp. */
import { freemem, totalmem } from 'node:os';
import type { Llama } from 'node-llama-cpp';
import type { HardwareInfo } from '../../common/api/contract.js';

export async function readHardware(llama: Llama): Promise<HardwareInfo> {
  const gpu = llama.gpu;
  const vram = gpu === false ? { total: 0, free: 0, unifiedSize: 0 } : await llama.getVramState();
  const gpuNames = gpu === false ? [] : await llama.getGpuDeviceNames().catch(() => []);
  return {
    totalRamBytes: totalmem(),
    freeRamBytes: freemem(),
    gpu,
    gpuNames,
    totalVramBytes: vram.total,
    freeVramBytes: vram.free,
    cpuCores: llama.cpuMathCores,
  };
}
