/**
 * Context sizes to try for a model, largest first: its trained length capped at 8,192 tokens
 * (more costs memory most chats never use), never below 2,048 (a chat template's system prompt
 * plus a few turns need about that), halving while memory is short.
 */
export const MIN_CONTEXT_SIZE = 2048;
export const MAX_CONTEXT_SIZE = 8192;
/** Used when a header gives no trained context length. */
export const DEFAULT_TRAINED_CONTEXT = 4096;

export function contextSizeCandidates(trainedContextSize: number | undefined): number[] {
  const target = Math.max(
    MIN_CONTEXT_SIZE,
    Math.min(trainedContextSize ?? DEFAULT_TRAINED_CONTEXT, MAX_CONTEXT_SIZE),
  );
  const sizes: number[] = [];
  for (let size = target; size > MIN_CONTEXT_SIZE; size = Math.floor(size / 2)) sizes.push(size);
  sizes.push(MIN_CONTEXT_SIZE);
  return sizes;
}
