/**
 * A deterministic synthetic library for the retrieval benchmarks: clustered unit vectors and
 * texts with a realistic word distribution, related to each other through topics.
 *
 * Vectors: uniform random vectors are the worst case for ANN and say nothing about real
 * embeddings (MEASURED.md: recall 0.09 against 0.72 on clustered ones). Real embeddings cluster
 * at several scales, so: topics (random directions), subtopics near their topic (cos ~0.7), and
 * chunks near their subtopic (cos ~0.75): two chunks of a subtopic are at cos ~0.56, of a topic
 * ~0.28, unrelated ~0. A query is a fresh point of a subtopic, not a stored chunk, so its true
 * neighbours are close together (the hard case for quantization).
 *
 * Texts: words drawn from a Zipf distribution (s = 1) over a 50,000-word pseudo-vocabulary, with
 * one word in eight from the chunk's topic's own words and one in twenty from its subtopic's, so
 * a query of topic words finds its topic by BM25 the way its vector finds it by similarity.
 */
import type { ChunkRow, DocumentRow } from '../../electron/core/library/index/LibraryIndex.js';
import { random32, ZipfRanks } from './zipf.js';

export interface CorpusShape {
  chunks: number;
  dimension: number;
  /** Words per chunk text. */
  words: number;
  topics: number;
  subtopicsPerTopic: number;
  /** Chunks per document (a document is about one topic). */
  chunksPerDocument: number;
  seed: number;
}

export interface CorpusQuery {
  vector: number[];
  text: string;
}

const VOCABULARY = 50_000;
const TOPIC_WORDS = 40;
const SUBTOPIC_WORDS = 10;
const NOISE_POOL = 1 << 20;

/** A pronounceable pseudo-word per rank: short words are the common ones. */
export function wordForRank(rank: number): string {
  const consonants = 'bcdfghklmnprstvz';
  const vowels = 'aeiou';
  let n = rank;
  let word = '';
  do {
    word += consonants[n % consonants.length]! + vowels[Math.floor(n / consonants.length) % vowels.length]!;
    n = Math.floor(n / (consonants.length * vowels.length));
  } while (n > 0);
  // Ranks that spell the same syllables differ by a final letter.
  return rank % 3 === 0 ? word : `${word}${'nrs'[rank % 3]}`;
}

export class SyntheticCorpus {
  private readonly random: () => number;
  private readonly noise: Float32Array;
  private readonly topics: Float32Array[];
  private readonly subtopics: Float32Array[];
  private readonly words: string[];
  private readonly zipf = new ZipfRanks(VOCABULARY);
  private readonly topicWords: string[][];
  private readonly subtopicWords: string[][];

  constructor(readonly shape: CorpusShape) {
    this.random = random32(shape.seed);
    // A pool of Gaussian noise read at random offsets and strides: a million Box-Muller draws,
    // not a billion, for a million 1,024-dimension vectors.
    this.noise = new Float32Array(NOISE_POOL);
    for (let i = 0; i < NOISE_POOL; i++) this.noise[i] = this.gaussian();
    this.topics = Array.from({ length: shape.topics }, () => this.direction());
    this.subtopics = Array.from({ length: shape.topics * shape.subtopicsPerTopic }, (_, j) =>
      this.mix(this.topics[j % shape.topics]!, 0.7, 0.71),
    );
    this.words = Array.from({ length: VOCABULARY }, (_, rank) => wordForRank(rank));
    // Topic and subtopic words come from the rarer ranks, as domain terms do.
    const rare = () => this.words[2_000 + Math.floor(this.random() * (VOCABULARY - 2_000))]!;
    this.topicWords = this.topics.map(() => Array.from({ length: TOPIC_WORDS }, rare));
    this.subtopicWords = this.subtopics.map(() => Array.from({ length: SUBTOPIC_WORDS }, rare));
  }

  private gaussian(): number {
    let u = 0;
    while (u === 0) u = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  /** Unit noise vector from the pool. */
  private noiseVector(): Float32Array {
    const { dimension } = this.shape;
    const out = new Float32Array(dimension);
    const offset = Math.floor(this.random() * NOISE_POOL);
    const stride = 1 + 2 * Math.floor(this.random() * 4096);
    let norm = 0;
    for (let i = 0; i < dimension; i++) {
      const x = this.noise[(offset + i * stride) & (NOISE_POOL - 1)]!;
      out[i] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dimension; i++) out[i]! /= norm;
    return out;
  }

  private direction(): Float32Array {
    return this.noiseVector();
  }

  /** normalize(weight * centre + noiseWeight * noise). */
  private mix(centre: Float32Array, weight: number, noiseWeight: number): Float32Array {
    const noise = this.noiseVector();
    let norm = 0;
    for (let i = 0; i < noise.length; i++) {
      const x = weight * centre[i]! + noiseWeight * noise[i]!;
      noise[i] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < noise.length; i++) noise[i]! /= norm;
    return noise;
  }

  private subtopicOf(topic: number): number {
    return topic + this.shape.topics * Math.floor(this.random() * this.shape.subtopicsPerTopic);
  }

  private zipfWord(): string {
    return this.words[this.zipf.rank(this.random())]!;
  }

  private text(subtopic: number): string {
    const topic = subtopic % this.shape.topics;
    const out: string[] = [];
    for (let i = 0; i < this.shape.words; i++) {
      const u = this.random();
      if (u < 0.05) out.push(this.subtopicWords[subtopic]![Math.floor(this.random() * SUBTOPIC_WORDS)]!);
      else if (u < 0.175) out.push(this.topicWords[topic]![Math.floor(this.random() * TOPIC_WORDS)]!);
      else out.push(this.zipfWord());
    }
    return out.join(' ');
  }

  /** Documents `first`.. in order, each with its chunks (deterministic for a given shape). */
  *documents(collectionId: string): Generator<{ document: DocumentRow; chunks: ChunkRow[] }> {
    const { chunks: total, chunksPerDocument, topics } = this.shape;
    for (let first = 0, d = 0; first < total; first += chunksPerDocument, d++) {
      const id = `doc${d}`;
      const topic = Math.floor(this.random() * topics);
      const count = Math.min(chunksPerDocument, total - first);
      let offset = 0;
      const chunks: ChunkRow[] = [];
      for (let ord = 0; ord < count; ord++) {
        const subtopic = this.subtopicOf(topic);
        const text = this.text(subtopic);
        chunks.push({
          id: `${id}:${ord}`,
          doc_id: id,
          collection_id: collectionId,
          ord,
          text,
          heading_path: '[]',
          page: null,
          char_start: offset,
          char_end: offset + text.length,
          vector: Array.from(this.mix(this.subtopics[subtopic]!, 0.75, 0.66)),
        });
        offset += text.length + 2;
      }
      yield {
        document: {
          id,
          collection_id: collectionId,
          name: `document-${d}.md`,
          path: `/bench/document-${d}.md`,
          kind: 'markdown',
          size_bytes: offset,
          content_hash: `synthetic-${this.shape.seed}-${d}`,
          chunk_count: count,
          page_count: null,
          indexed_at: new Date(0).toISOString(),
          note: null,
        },
        chunks,
      };
    }
  }

  /**
   * Queries from a generator of their own (the same for any corpus size): a fresh point of a
   * subtopic, and two or three of its words as text.
   */
  static queries(shape: Omit<CorpusShape, 'chunks'>, count: number): CorpusQuery[] {
    const corpus = new SyntheticCorpus({ ...shape, chunks: 0 });
    const pick = (random: () => number, list: string[]) => list[Math.floor(random() * list.length)]!;
    const random = random32(shape.seed + 1);
    return Array.from({ length: count }, () => {
      const subtopic = Math.floor(random() * corpus.subtopics.length);
      const topic = subtopic % shape.topics;
      const words = [pick(random, corpus.subtopicWords[subtopic]!), pick(random, corpus.topicWords[topic]!)];
      if (random() < 0.5) words.push(corpus.zipfWord());
      return {
        vector: Array.from(corpus.mix(corpus.subtopics[subtopic]!, 0.75, 0.66)),
        text: words.join(' '),
      };
    });
  }
}
