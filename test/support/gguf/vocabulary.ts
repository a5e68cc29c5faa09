/**
 * The test model's SentencePiece vocabulary: control tokens, the 256 byte tokens, and a few
 * hundred common English words with every "▁"-prefix of them, so llama.cpp's SPM merges can
 * reach each whole word when it tokenizes ordinary text.
 */

/** llama.cpp token types (tokenizer.ggml.token_type). */
export const TokenType = { Normal: 1, Unknown: 2, Control: 3, Byte: 6 } as const;

/**
 * How the output layer treats a token: words and punctuation are sampled, openers only right
 * after a newline (the first word of an answer), the rest never.
 */
export type TokenRole = 'word' | 'opener' | 'punctuation' | 'piece' | 'byte' | 'control';

export interface VocabularyToken {
  text: string;
  type: number;
  score: number;
  role: TokenRole;
}

export const WORDS = `the be to of and a in that have I it for not on with he as you do at this but his by
from they we say her she or an will my one all would there their what so up out if about who get which go me
when make can like time no just him know take people into year your good some could them see other than then
now look only come its over think also back after use two how our work first well way even new want because
any these give day most us house home garden tree river light fire warm quiet morning evening bread tea book
window door table chair road hill sea sun moon star rain snow wind bird cat dog child friend family story song
little old young long small great happy kind bright soft slow green blue red white black walk run read
write sing sleep dream open close find keep hold bring sit stand learn play talk listen remember begin always
never often together again here where why very much many every each world place water hand eye heart voice
word name night today`
  .split(/\s+/)
  .filter(Boolean);

/**
 * Words that also exist without the "▁" prefix. An answer starts right after "assistant\n",
 * where the tokenizer writes no "▁", so its first word must be one of these for the answer's
 * tokens to match their re-tokenized text in the next turn (which lets the history be reused).
 */
export const OPENERS = ['the', 'a', 'I', 'we', 'it', 'this', 'there', 'my', 'one', 'when', 'so', 'here'];

export const PUNCTUATION = ['.', ',', '!', '?'];

export const SPACE = '\u2581';
export const CHAT_START = '<|im_start|>';
export const CHAT_END = '<|im_end|>';

export interface Vocabulary {
  tokens: VocabularyToken[];
  bosId: number;
  eosId: number;
  unknownId: number;
}

export function buildVocabulary(): Vocabulary {
  const tokens: VocabularyToken[] = [
    { text: '<unk>', type: TokenType.Unknown, score: 0, role: 'control' },
    { text: '<s>', type: TokenType.Control, score: 0, role: 'control' },
    { text: '</s>', type: TokenType.Control, score: 0, role: 'control' },
    { text: CHAT_START, type: TokenType.Control, score: 0, role: 'control' },
    { text: CHAT_END, type: TokenType.Control, score: 0, role: 'control' },
  ];
  for (let byte = 0; byte < 256; byte++) {
    const hex = byte.toString(16).toUpperCase().padStart(2, '0');
    tokens.push({ text: `<0x${hex}>`, type: TokenType.Byte, score: 0, role: 'byte' });
  }

  const words = new Set(WORDS.map((word) => SPACE + word));
  const pieces = new Set<string>([SPACE]);
  for (const word of words) {
    for (let end = 2; end <= word.length; end++) pieces.add(word.slice(0, end));
  }
  let rank = 0;
  for (const piece of pieces) {
    rank++;
    tokens.push({
      text: piece,
      type: TokenType.Normal,
      score: -rank,
      role: words.has(piece) ? 'word' : 'piece',
    });
  }
  for (const mark of PUNCTUATION) {
    rank++;
    tokens.push({ text: mark, type: TokenType.Normal, score: -rank, role: 'punctuation' });
  }
  // Bare openers score below every "▁" piece, so SPM always merges "▁" words first.
  const openers = new Set(OPENERS);
  const bare = new Set<string>();
  for (const opener of OPENERS) {
    for (let end = 1; end <= opener.length; end++) bare.add(opener.slice(0, end));
  }
  for (const piece of bare) {
    rank++;
    tokens.push({
      text: piece,
      type: TokenType.Normal,
      score: -10_000 - rank,
      role: openers.has(piece) ? 'opener' : 'piece',
    });
  }
  return { tokens, bosId: 1, eosId: 2, unknownId: 0 };
}
