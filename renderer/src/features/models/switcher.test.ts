import { describe, expect, it } from 'vitest';
import { filterItems, moveSelection } from './switcher.js';

const items = [
  { id: 'a', label: 'Llama 3.2 3B Instruct', keywords: 'llama-3.2-3b.Q4_K_M.gguf Q4_K_M' },
  { id: 'b', label: 'Qwen3 8B', keywords: 'qwen3-8b-q5.gguf Q5_K_M' },
  { id: 'c', label: 'Gemma 3 4B', keywords: 'gemma-3-4b.gguf Q4_K_M' },
];

describe('quick switcher filtering', () => {
  it('lists everything for an empty query', () => {
    expect(filterItems(items, '  ').map((item) => item.id)).toEqual(['a', 'b', 'c']);
  });

  it('matches every word anywhere in the label or keywords, ignoring case', () => {
    expect(filterItems(items, 'q4_k_m').map((item) => item.id)).toEqual(['a', 'c']);
    expect(filterItems(items, '4b gemma').map((item) => item.id)).toEqual(['c']);
    expect(filterItems(items, 'mistral')).toEqual([]);
  });

  it('puts labels that start with the query first', () => {
    const list = [
      { id: 'x', label: 'Tiny Qwen distill' },
      { id: 'y', label: 'Qwen3 8B' },
    ];
    expect(filterItems(list, 'qwen').map((item) => item.id)).toEqual(['y', 'x']);
  });
});

describe('quick switcher keyboard selection', () => {
  it('wraps around with the arrows and jumps with Home and End', () => {
    expect(moveSelection(0, 3, 'ArrowDown')).toBe(1);
    expect(moveSelection(2, 3, 'ArrowDown')).toBe(0);
    expect(moveSelection(0, 3, 'ArrowUp')).toBe(2);
    expect(moveSelection(-1, 3, 'ArrowUp')).toBe(2);
    expect(moveSelection(1, 3, 'Home')).toBe(0);
    expect(moveSelection(1, 3, 'End')).toBe(2);
  });

  it('selects nothing when nothing is listed', () => {
    expect(moveSelection(0, 0, 'ArrowDown')).toBe(-1);
  });
});
