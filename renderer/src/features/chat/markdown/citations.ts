/**
 * Citation markers in a grounded answer: "[2]" or "[1, 3]" in the model's Markdown become small
 * buttons (chips) for the numbers that match one of the answer's sources. A number that matches no
 * source stays plain text: it is never linked to a passage it does not name. Markers inside code are
 * left alone (code is never tokenized inline).
 */
import type { MarkedExtension, Tokens } from 'marked';
import { escapeHtml } from './escape.js';

/** What a reader does with a citation chip: looks (hover, focus), leaves, or opens it (click, Enter). */
export type CiteAction = 'preview' | 'leave' | 'open';

/** "[2]", "[1, 3]", "[1,2,3]"; not a link "[1](...)" nor a reference definition "[1]: ...". */
const markerPattern = /^\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\](?![(:])/;

interface CitationToken extends Tokens.Generic {
  type: 'citation';
  raw: string;
  numbers: number[];
}

/** The chip for source n; the view finds it by `data-cite` (click, hover, focus). */
export function citationChip(n: number): string {
  return `<button type="button" class="cite" data-cite="${n}" aria-label="Source ${n}">${n}</button>`;
}

/** A marked extension that renders citation markers as chips for the numbers in `valid`. */
export function citationExtension(valid: ReadonlySet<number>): MarkedExtension {
  return {
    extensions: [
      {
        name: 'citation',
        level: 'inline',
        start(source: string) {
          const index = source.search(/\[\d/);
          return index < 0 ? undefined : index;
        },
        tokenizer(source: string): CitationToken | undefined {
          const match = markerPattern.exec(source);
          if (!match?.[1]) return undefined;
          const numbers = match[1].split(',').map((part) => Number(part.trim()));
          return { type: 'citation', raw: match[0], numbers };
        },
        renderer(token: Tokens.Generic) {
          const { numbers, raw } = token as CitationToken;
          const known = [...new Set(numbers)].filter((n) => valid.has(n));
          if (known.length === 0) return escapeHtml(raw);
          return `<span class="cites">${known.map(citationChip).join('')}</span>`;
        },
      },
    ],
  };
}
