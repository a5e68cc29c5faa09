/**
 * Reading the user's question: the retrieval query built from the conversation (so a follow-up
 * like "and the second one?" still finds the right passages), its content words, and whether it
 * asks about a whole document or collection rather than a fact in one passage.
 */

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

/** Short function words of the languages people most often ask in; they say nothing about relevance. */
const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it ' +
    'its me my no not of on or our she he so than that the their them then there these they this those to ' +
    'up us was we were what when where which who whom why will with would you your yours about all any ' +
    'also each every list many much more most some such tell give show find summarize summarise summary ' +
    'please one two second first third other same just only very ' +
    'der die das und ist ein eine nicht mit von zu den dem des im auf für wie was wer ' +
    'le la les un une des et est en du de que qui pour dans sur pas au aux ' +
    'el los las y es en del que por para con una uno se lo al'
  ).split(/\s+/),
);

/** Lowercase words (letters and digits, any script) that carry meaning: no stopwords, no single letters. */
export function contentWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => (w.length > 1 || /\p{N}/u.test(w)) && !STOPWORDS.has(w)))];
}

/** How many earlier user messages are folded into the retrieval query. */
const FOLDED_TURNS = 2;
/** How much of the previous answer is folded in (its first words name what it talked about). */
const FOLDED_ANSWER_CHARS = 300;
const MAX_QUERY_CHARS = 2000;

/**
 * The text to retrieve with: the question, then the previous user messages and the start of the
 * last answer. A follow-up rarely repeats its subject ("and the second one?"); the turns before
 * it do. The question comes first so it dominates a length-limited query.
 */
export function retrievalQuery(question: string, earlier: readonly Turn[]): string {
  const parts = [question.trim()];
  const users = earlier.filter((t) => t.role === 'user').slice(-FOLDED_TURNS);
  const lastAnswer = earlier.findLast((t) => t.role === 'assistant');
  for (const turn of users.reverse()) parts.push(turn.text.trim());
  if (lastAnswer && earlier.length > 0) parts.push(lastAnswer.text.trim().slice(0, FOLDED_ANSWER_CHARS));
  return parts.filter(Boolean).join('\n').slice(0, MAX_QUERY_CHARS);
}

export interface DocumentRef {
  id: string;
  name: string;
}

export interface WholeDocumentQuestion {
  /** The documents to read whole (one named, or every document of the attached collections). */
  documentIds: string[];
  /** A heading to keep to ("chapter 3"), when the question names one. */
  section?: string;
}

/** Questions answered only by reading everything: listing, counting, summarizing. */
const WHOLE_PATTERNS = [
  /\b(list|enumerate|find|name|extract)\s+(all|every|each)\b/i,
  /\b(all|every|each)\s+(of\s+the\s+)?\w+\s+(in|from|of|mentioned)\b/i,
  /\bhow\s+many\b/i,
  /\b(summari[sz]e|summary\s+of|overview\s+of|outline\s+of)\b/i,
  /\b(whole|entire|full)\s+(document|file|text|contract|book|report|collection|chapter)\b/i,
];

/** "chapter 3", "section 2.1", "part IV" named in the question. */
const SECTION = /\b(chapter|section|part|appendix|kapitel|chapitre|cap[ií]tulo)\s+([\p{L}\p{N}.]+)/iu;

function baseName(name: string): string {
  return name.replace(/\.[A-Za-z0-9]{1,5}$/, '').toLowerCase();
}

/**
 * Whether a question is about whole documents, and which. A document counts as named when its
 * file name (with or without extension) appears in the question; with no name, "this document"
 * style questions go to the only document there is, and counting questions ("how many invoices
 * mention X") to every document of the attached collections.
 */
export function wholeDocumentQuestion(
  question: string,
  documents: readonly DocumentRef[],
): WholeDocumentQuestion | undefined {
  if (!WHOLE_PATTERNS.some((pattern) => pattern.test(question))) return undefined;
  const lower = question.toLowerCase();
  const named = documents.filter(
    (d) =>
      lower.includes(d.name.toLowerCase()) ||
      (baseName(d.name).length >= 3 && lower.includes(baseName(d.name))),
  );
  const section = SECTION.exec(question);
  const sectionPart = section ? { section: `${section[1]} ${section[2]}` } : {};
  if (named.length > 0) return { documentIds: named.map((d) => d.id), ...sectionPart };
  if (documents.length === 1) return { documentIds: [documents[0]!.id], ...sectionPart };
  if (
    /\bhow\s+many\b|\b(every|each|all)\s+(document|file|invoice|report|letter|contract)s?\b/i.test(question)
  )
    return documents.length > 0 ? { documentIds: documents.map((d) => d.id) } : undefined;
  return undefined;
}
