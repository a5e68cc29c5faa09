/** Short human forms of model metadata. */
import type { ModelEntry } from '../../../../electron/common/api/contract.js';

/**
 * The header's `general.name` when it says something ("Llama 3.2 3B Instruct"); the file name
 * when it is missing or merely repeats the architecture ("llama").
 */
export function modelDisplayName(model: Pick<ModelEntry, 'name' | 'fileName' | 'architecture'>): string {
  const name = model.name?.trim();
  const fileName = model.fileName.replace(/\.gguf$/i, '');
  if (!name || name.length < 3 || name.toLowerCase() === model.architecture?.toLowerCase()) return fileName;
  return name;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** 7_241_732_096 -> "7.2B", 260_000 -> "260K". */
export function formatParameterCount(count: number): string {
  const scales: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, suffix] of scales) {
    if (count >= scale) {
      const value = count / scale;
      return `${value >= 10 ? Math.round(value) : Number(value.toFixed(1))}${suffix}`;
    }
  }
  return String(count);
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** "1.1B params · Q4_K_M · 638 MB" */
export function modelSummary(model: ModelEntry): string {
  const parts: string[] = [];
  if (model.parameterCount) parts.push(`${formatParameterCount(model.parameterCount)} params`);
  if (model.quantization) parts.push(model.quantization);
  parts.push(formatBytes(model.sizeBytes));
  return parts.join(' · ');
}
