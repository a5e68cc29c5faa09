/** Short human forms of model metadata. */
import type { ModelEntry } from '../../../../electron/common/api/contract.js';
import { formatBytes } from '../../../../electron/common/formatBytes.js';

export { formatBytes };

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

/** "4.2 MB/s" */
export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(Math.max(0, Math.round(bytesPerSecond)))}/s`;
}

/** Time left in words a person reads at a glance: "8 s left", "3 min left", "1 h 20 min left". */
export function formatEta(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s left`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min left` : `${hours} h left`;
}

/** "just now", "5 min ago", "3 h ago", "yesterday", "12 days ago", or a date for older times. */
export function formatLastUsed(when: number | string | null | undefined, now = Date.now()): string {
  if (when === null || when === undefined) return 'Never used';
  const time = typeof when === 'number' ? when : Date.parse(when);
  if (!Number.isFinite(time)) return 'Never used';
  const seconds = Math.max(0, (now - time) / 1000);
  if (seconds < 60) return 'Used just now';
  if (seconds < 3600) return `Used ${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `Used ${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86_400);
  if (days === 1) return 'Used yesterday';
  if (days < 30) return `Used ${days} days ago`;
  return `Used ${new Date(time).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' })}`;
}

/** "12.3 MB of 40 MB" while the total is known, else what arrived so far. */
export function formatTransferred(received: number, total: number | null | undefined): string {
  return total ? `${formatBytes(received)} of ${formatBytes(total)}` : formatBytes(received);
}
