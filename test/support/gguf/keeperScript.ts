/**
 * The script the tests' scripted reasoning model plays (see scriptedModel.ts): it thinks, then
 * answers about the lighthouse keeper citing "[1]" and a made-up "[7]", and ends by itself.
 */
export const KEEPER_SCRIPT = [
  '<think>',
  'Checking',
  ' the',
  ' notes',
  '</think>',
  'The',
  ' keeper',
  ' is',
  ' Marguerite',
  ' [1]',
  ',',
  ' not',
  ' Ann',
  ' [7]',
  '.',
];
export const KEEPER_THOUGHT = 'Checking the notes';
export const KEEPER_ANSWER = 'The keeper is Marguerite [1], not Ann [7].';
