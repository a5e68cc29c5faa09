// Reading a question: the retrieval query a follow-up needs, and whole-document questions.
import { describe, expect, it } from 'vitest';
import { contentWords, retrievalQuery, wholeDocumentQuestion } from './question.js';

const docs = [
  { id: 'c', name: 'contract.pdf' },
  { id: 'h', name: 'Handbook.md' },
];

describe('the retrieval query', () => {
  it('is the question alone at the start of a conversation', () => {
    expect(retrievalQuery('When is the invoice due?', [])).toBe('When is the invoice due?');
  });

  it('folds in the previous questions and the start of the last answer, question first', () => {
    const query = retrievalQuery('And the second one?', [
      { role: 'user', text: 'Which ships sail from Port C?' },
      { role: 'assistant', text: 'The Zephyrine and the Kestrel.' },
    ]);
    expect(query.split('\n')).toEqual([
      'And the second one?',
      'Which ships sail from Port C?',
      'The Zephyrine and the Kestrel.',
    ]);
  });

  it('keeps content words only for matching (stopwords of several languages left out)', () => {
    expect(contentWords('What is the deadline of the Zephyrine contract? Was ist der Termin?')).toEqual([
      'deadline',
      'zephyrine',
      'contract',
      'termin',
    ]);
  });
});

describe('whole-document questions', () => {
  it('finds the document a listing or summary question names', () => {
    expect(wholeDocumentQuestion('List every deadline in contract.pdf', docs)).toEqual({
      documentIds: ['c'],
    });
    expect(wholeDocumentQuestion('Summarize chapter 3 of the handbook', docs)).toEqual({
      documentIds: ['h'],
      section: 'chapter 3',
    });
  });

  it('reads every document for a counting question over a collection', () => {
    expect(wholeDocumentQuestion('How many invoices mention Marlowe?', docs)).toEqual({
      documentIds: ['c', 'h'],
    });
  });

  it('leaves fact questions to passage retrieval', () => {
    expect(wholeDocumentQuestion('When is the contract due?', docs)).toBeUndefined();
    expect(wholeDocumentQuestion('List every deadline', docs)).toBeUndefined();
  });

  it('takes "this document" to mean the only one there is', () => {
    expect(wholeDocumentQuestion('Summarize this document', [docs[0]!])).toEqual({ documentIds: ['c'] });
  });
});
