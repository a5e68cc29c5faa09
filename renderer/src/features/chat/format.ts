/** Short human forms for the chat footer. */
import type { GenerationStats } from './ChatMessage.svelte.js';

export function formatStats(stats: GenerationStats): string {
  const tokens = `${stats.generatedTokens.toLocaleString('en-US')} ${stats.generatedTokens === 1 ? 'token' : 'tokens'}`;
  if (stats.tokensPerSecond === null) return tokens;
  const speed =
    stats.tokensPerSecond >= 100 ? stats.tokensPerSecond.toFixed(0) : stats.tokensPerSecond.toFixed(1);
  return `${tokens} · ${speed} tok/s`;
}

const backendNames: Record<string, string> = { cpu: 'CPU', metal: 'Metal', cuda: 'CUDA', vulkan: 'Vulkan' };

export function formatBackend(backend: string): string {
  return backendNames[backend.toLowerCase()] ?? backend;
}
