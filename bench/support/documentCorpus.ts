/**
 * A generated folder of text-heavy documents for the ingestion benchmark: Markdown (headings,
 * paragraphs, lists, code blocks), plain text and HTML articles, written from a Zipf word
 * distribution so chunking and tokenizing see text shaped like prose. Deterministic per seed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wordForRank } from './syntheticCorpus.js';
import { random32, ZipfRanks } from './zipf.js';

export interface DocumentCorpusOptions {
  files: number;
  /** Roughly this many bytes per file. */
  bytesPerFile: number;
  seed: number;
}

class Prose {
  private readonly zipf = new ZipfRanks(20_000);
  constructor(private readonly random: () => number) {}

  word(): string {
    return wordForRank(this.zipf.rank(this.random()));
  }

  sentence(): string {
    const length = 6 + Math.floor(this.random() * 18);
    const words = Array.from({ length }, () => this.word());
    words[0] = words[0]![0]!.toUpperCase() + words[0]!.slice(1);
    return `${words.join(' ')}.`;
  }

  paragraph(): string {
    return Array.from({ length: 3 + Math.floor(this.random() * 5) }, () => this.sentence()).join(' ');
  }

  title(): string {
    const words = Array.from({ length: 2 + Math.floor(this.random() * 4) }, () => this.word());
    return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
  }
}

function markdown(prose: Prose, random: () => number, bytes: number): string {
  const parts = [`# ${prose.title()}\n`];
  let size = 0;
  while (size < bytes) {
    const roll = random();
    const part =
      roll < 0.12
        ? `## ${prose.title()}\n`
        : roll < 0.2
          ? Array.from({ length: 3 + Math.floor(random() * 4) }, () => `- ${prose.sentence()}`).join('\n') +
            '\n'
          : roll < 0.25
            ? '```js\n' +
              Array.from(
                { length: 4 },
                () => `const ${prose.word()} = ${prose.word()}(${prose.word()});`,
              ).join('\n') +
              '\n```\n'
            : `${prose.paragraph()}\n`;
    parts.push(part);
    size += part.length + 1;
  }
  return parts.join('\n');
}

function html(prose: Prose, random: () => number, bytes: number): string {
  const body: string[] = [];
  let size = 0;
  while (size < bytes) {
    const part = random() < 0.15 ? `<h2>${prose.title()}</h2>` : `<p>${prose.paragraph()}</p>`;
    body.push(part);
    size += part.length;
  }
  return (
    `<!doctype html><html><head><title>${prose.title()}</title></head><body>` +
    `<nav><a href="/">Home</a> <a href="/about">About</a></nav>` +
    `<article><h1>${prose.title()}</h1>${body.join('\n')}</article>` +
    `<footer>Copyright</footer></body></html>`
  );
}

function plain(prose: Prose, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const part = prose.paragraph();
    parts.push(part);
    size += part.length + 2;
  }
  return parts.join('\n\n');
}

/** Writes the corpus into `dir`; returns the files' total size in bytes. */
export async function writeDocumentCorpus(dir: string, options: DocumentCorpusOptions): Promise<number> {
  await mkdir(dir, { recursive: true });
  const random = random32(options.seed);
  const prose = new Prose(random);
  let total = 0;
  for (let i = 0; i < options.files; i++) {
    // Six in ten Markdown, two in ten each plain text and HTML.
    const kind = i % 10 < 6 ? 'md' : i % 10 < 8 ? 'txt' : 'html';
    const text =
      kind === 'md'
        ? markdown(prose, random, options.bytesPerFile)
        : kind === 'txt'
          ? plain(prose, options.bytesPerFile)
          : html(prose, random, options.bytesPerFile);
    const bytes = Buffer.from(text, 'utf8');
    await writeFile(join(dir, `document-${String(i).padStart(4, '0')}.${kind}`), bytes);
    total += bytes.length;
  }
  return total;
}
