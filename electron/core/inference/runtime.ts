/**
 * The node-llama-cpp runtime: one Llama instance for the whole engine. It never compiles or
 * downloads anything (build: "never"): the prebuilt binaries shipped with node-llama-cpp are
 * used, GPU first when one is detected, and the CPU binary when no GPU binary works.
 */
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

export interface RuntimeOptions {
  /** Minimum llama.cpp log level printed; defaults to warnings. */
  logLevel?: LlamaLogLevel;
}

export async function createLlamaRuntime({
  logLevel = LlamaLogLevel.warn,
}: RuntimeOptions = {}): Promise<Llama> {
  try {
    return await getLlama({ gpu: 'auto', build: 'never', logLevel });
  } catch (gpuError) {
    try {
      return await getLlama({ gpu: false, build: 'never', logLevel });
    } catch (cpuError) {
      throw new Error(
        `No working llama.cpp binary for this machine (GPU: ${String(gpuError)}; CPU: ${String(cpuError)})`,
        { cause: cpuError },
      );
    }
  }
}

/** 'cpu' or the GPU backend in use (metal, cuda, vulkan), for ModelStatus.backend. */
export function backendOf(llama: Llama): string {
  return llama.gpu === false ? 'cpu' : llama.gpu;
}
