/**
 * Every benchmark, in the order the suite runs them. Adding one is a module in benchmarks/ and a
 * line here.
 */
import { inferenceOverhead } from './benchmarks/inferenceOverhead.js';
import { turnReuse } from './benchmarks/turnReuse.js';
import { startup } from './benchmarks/startup.js';
import { memory } from './benchmarks/memory.js';
import { renderStream } from './benchmarks/renderStream.js';
import { markdownIncremental } from './benchmarks/markdownIncremental.js';
import { chatStore } from './benchmarks/chatStore.js';
import { retrievalQuality } from './benchmarks/retrievalQuality.js'; // retrieval quality (issue 5)
import { retrieval } from './benchmarks/retrieval.js';
import { ingestPipeline } from './benchmarks/ingestPipeline.js';
import { renderConversation } from './benchmarks/renderConversation.js';
import type { Benchmark } from './types.js';

export const benchmarks: readonly Benchmark[] = [
  inferenceOverhead,
  turnReuse,
  renderStream,
  renderConversation,
  markdownIncremental,
  startup,
  memory,
  chatStore,
  retrievalQuality,
  ingestPipeline,
  retrieval,
];

/**
 * The benchmarks a command line asks for: all without names; otherwise those whose group name,
 * or one of whose figure names, equals a name or starts with it followed by a dot (so `render`
 * selects render and render.markdown, and `render.markdown` only the latter).
 */
export function selectBenchmarks(all: readonly Benchmark[], names: readonly string[]): Benchmark[] {
  if (names.length === 0) return [...all];
  const matches = (candidate: string, name: string) => candidate === name || candidate.startsWith(`${name}.`);
  const selected = all.filter((benchmark) =>
    names.some((name) => matches(benchmark.name, name) || benchmark.figures.some((f) => matches(f, name))),
  );
  const unknown = names.filter(
    (name) => !all.some((b) => matches(b.name, name) || b.figures.some((f) => matches(f, name))),
  );
  if (unknown.length) {
    const known = all.flatMap((b) => [b.name, ...b.figures]).join(', ');
    throw new Error(`Unknown benchmark ${unknown.join(', ')}. Known: ${known}.`);
  }
  return selected;
}
