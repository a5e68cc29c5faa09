/**
 * One chat model and one embedding model from the catalog for this machine. Candidates are ordered
 * by a size estimate from the catalog (parameters x bits per weight) against a memory budget, then
 * the best few are confirmed by the fit estimator (node-llama-cpp's estimate from each file's
 * header); when headers cannot be read (offline), the estimate decides and the result says so.
 */
import { formatBytes } from '../../common/formatBytes.js';
import type {
  CatalogEntry,
  HardwareInfo,
  ModelFit,
  SetupRecommendation,
  SetupRecommendations,
} from '../../common/api/contract.js';

/** Approximate bits per weight of common GGUF quantizations (file size / parameters). */
const BITS_PER_WEIGHT: Record<string, number> = {
  Q2_K: 3.0,
  Q3_K_M: 3.9,
  Q4_0: 4.5,
  Q4_K_S: 4.6,
  Q4_K_M: 4.9,
  Q5_K_M: 5.7,
  Q6_K: 6.6,
  Q8_0: 8.5,
  F16: 16,
  BF16: 16,
  F32: 32,
};

/** Context, KV cache and runtime on top of the weights. */
const OVERHEAD = 1.25;
/** How many headers to read per kind at most (each read costs a few megabytes). */
const MAX_FIT_CHECKS = 3;

export type FitEstimator = (entryId: string, quantization: string, signal?: AbortSignal) => Promise<ModelFit>;

export interface RecommendInput {
  catalog: readonly CatalogEntry[];
  hardware: HardwareInfo;
  fit: FitEstimator;
  /** Catalog ids already in the models folder. */
  installed: ReadonlySet<string>;
}

export function fileBytesEstimate(entry: CatalogEntry, quantization = entry.recommended): number {
  const known = entry.quantizations.find((quant) => quant.name === quantization)?.sizeBytes;
  if (known) return known;
  const bits = BITS_PER_WEIGHT[quantization.toUpperCase()] ?? 5;
  return Math.round((entry.parametersB * 1e9 * bits) / 8);
}

/** Bytes a chat model may take here: most of the VRAM on a GPU, a share of the RAM on the CPU. */
export function chatBudget(hardware: HardwareInfo): number {
  if (hardware.gpu === 'metal') return hardware.totalVramBytes * 0.6; // unified memory, shared with the system
  if (hardware.gpu !== false && hardware.totalVramBytes > 0) return hardware.totalVramBytes * 0.85;
  return hardware.totalRamBytes * 0.4;
}

/** On the CPU, speed rather than memory limits the size: parameters (billions) that still answer briskly. */
export function cpuParameterCap(cpuCores: number): number {
  if (cpuCores >= 8) return 8.5;
  if (cpuCores >= 4) return 4.5;
  return 2;
}

function onGpu(hardware: HardwareInfo): boolean {
  return hardware.gpu !== false && hardware.totalVramBytes > 0;
}

function gpuName(hardware: HardwareInfo): string {
  return hardware.gpuNames[0] ?? `${String(hardware.gpu).toUpperCase()} GPU`;
}

function chatReason(entry: CatalogEntry, hardware: HardwareInfo, needBytes: number, fit?: ModelFit): string {
  const need = `about ${formatBytes(needBytes)}`;
  if (fit?.level === 'gpu-full' || (!fit && onGpu(hardware))) {
    return `Runs fully on your ${gpuName(hardware)} (${formatBytes(hardware.totalVramBytes)} of video memory) and needs ${need}: the largest catalog model that fits it this well.`;
  }
  if (fit?.level === 'gpu-partial') {
    return `Runs partly on your ${gpuName(hardware)}, the rest on the processor, in ${need}: a good balance of quality and speed here.`;
  }
  const why = onGpu(hardware) ? 'larger ones would not fit the GPU' : 'no supported GPU was found';
  return `Runs on the processor (${hardware.cpuCores} cores; ${why}) in ${need} of your ${formatBytes(hardware.totalRamBytes)} memory; larger models would answer too slowly here.`;
}

function toRecommendation(
  entry: CatalogEntry,
  input: RecommendInput,
  reason: string,
  fit?: ModelFit,
): SetupRecommendation {
  const quant = entry.quantizations.find((item) => item.name === entry.recommended);
  return {
    entryId: entry.id,
    name: entry.name,
    kind: entry.kind === 'embedding' ? 'embedding' : 'chat',
    quantization: entry.recommended,
    parametersB: entry.parametersB,
    sizeBytes: fileBytesEstimate(entry),
    sizeIsEstimate: quant?.sizeBytes === undefined,
    license: entry.license,
    commercialUse: entry.commercialUse,
    ...(entry.licenseNote ? { licenseNote: entry.licenseNote } : {}),
    ...(fit ? { fit } : {}),
    reason,
    installed: input.installed.has(entry.id),
  };
}

/** Biggest first; among equals the permissive licence first. */
function byPreference(a: CatalogEntry, b: CatalogEntry): number {
  return (
    b.parametersB - a.parametersB ||
    Number(b.commercialUse) - Number(a.commercialUse) ||
    a.id.localeCompare(b.id)
  );
}

async function tryFit(input: RecommendInput, entry: CatalogEntry, signal?: AbortSignal) {
  try {
    return await input.fit(entry.id, entry.recommended, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
}

async function recommendChat(input: RecommendInput, signal?: AbortSignal) {
  const { hardware } = input;
  // A first model should answer at once: models that think first come only when nothing else is listed.
  const allChats = input.catalog.filter((entry) => entry.kind === 'chat');
  const direct = allChats.filter((entry) => !entry.reasoning);
  const chats = (direct.length > 0 ? direct : allChats).sort(byPreference);
  if (chats.length === 0) return { recommendation: null, estimated: false };
  const budget = chatBudget(hardware);
  const cap = onGpu(hardware) ? Infinity : cpuParameterCap(hardware.cpuCores);
  const fitting = chats.filter(
    (entry) => fileBytesEstimate(entry) * OVERHEAD <= budget && entry.parametersB <= cap,
  );
  const shortlist = fitting.length > 0 ? fitting : chats.slice(-1);
  let fallback: { entry: CatalogEntry; fit: ModelFit } | undefined;
  let headersRead = 0;
  for (const entry of shortlist.slice(0, MAX_FIT_CHECKS)) {
    const fit = await tryFit(input, entry, signal);
    if (!fit) continue;
    headersRead++;
    if (fit.level === 'too-big') continue;
    const good = onGpu(hardware) ? fit.level === 'gpu-full' : true;
    if (good) {
      return {
        recommendation: toRecommendation(
          entry,
          input,
          chatReason(entry, hardware, fit.estimatedBytes, fit),
          fit,
        ),
        estimated: false,
      };
    }
    fallback ??= { entry, fit };
  }
  if (fallback) {
    const { entry, fit } = fallback;
    return {
      recommendation: toRecommendation(
        entry,
        input,
        chatReason(entry, hardware, fit.estimatedBytes, fit),
        fit,
      ),
      estimated: false,
    };
  }
  // No header could be read (or every one said too big): the catalog estimate decides.
  const entry = shortlist[headersRead > 0 ? shortlist.length - 1 : 0] ?? chats[chats.length - 1];
  if (!entry) return { recommendation: null, estimated: true };
  const need = fileBytesEstimate(entry) * OVERHEAD;
  return {
    recommendation: toRecommendation(entry, input, chatReason(entry, hardware, need)),
    estimated: true,
  };
}

async function recommendEmbedding(input: RecommendInput, signal?: AbortSignal) {
  const embedders = input.catalog.filter((entry) => entry.kind === 'embedding');
  if (embedders.length === 0) return { recommendation: null, estimated: false };
  // The library's default when it fits in a tenth of the memory beside the chat model; else the smallest.
  const room = input.hardware.totalRamBytes * 0.1;
  const smallest = [...embedders].sort((a, b) => fileBytesEstimate(a) - fileBytesEstimate(b))[0];
  const preferred = embedders.find((entry) => entry.isDefault && fileBytesEstimate(entry) * OVERHEAD <= room);
  const entry = preferred ?? smallest;
  if (!entry) return { recommendation: null, estimated: false };
  const fit = await tryFit(input, entry, signal);
  const size = formatBytes(fileBytesEstimate(entry));
  const reason = preferred
    ? `The document library's default embedding model: about ${size}, it runs beside the chat model to search your documents by meaning.`
    : `The smallest embedding model in the catalog (about ${size}): it runs beside the chat model to search your documents by meaning.`;
  return {
    recommendation: toRecommendation(entry, input, reason, fit && fit.level !== 'too-big' ? fit : undefined),
    estimated: !fit,
  };
}

export async function recommendModels(
  input: RecommendInput,
  signal?: AbortSignal,
): Promise<SetupRecommendations> {
  const chat = await recommendChat(input, signal);
  const embedding = await recommendEmbedding(input, signal);
  const estimated = chat.estimated || embedding.estimated;
  return {
    hardware: input.hardware,
    chat: chat.recommendation,
    embedding: embedding.recommendation,
    ...(estimated
      ? {
          note: 'Some model files could not be read over the network; sizes and fit are estimates from the catalog.',
        }
      : {}),
  };
}
