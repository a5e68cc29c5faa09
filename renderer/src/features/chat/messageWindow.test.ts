import { describe, expect, it } from 'vitest';
import { computeWindow, DEFAULT_ESTIMATE, estimateHeight, KEEP_LIMIT, offsets } from './messageWindow.js';

const base = { gap: 20, viewportHeight: 500, overscan: 0 };

describe('message windowing', () => {
  it('estimates unmeasured messages by the mean of measured ones', () => {
    expect(estimateHeight([undefined, undefined])).toBe(DEFAULT_ESTIMATE);
    expect(estimateHeight([100, undefined, 300])).toBe(200);
    expect(offsets([100, undefined, 300], 10)).toEqual([0, 110, 320, 620]);
  });

  it('renders only the messages in view, with spacers that keep the full height', () => {
    const heights = Array.from({ length: 2000 }, () => 80); // 100 px a message with the gap
    const range = computeWindow({ ...base, heights, scrollTop: 10_000 });
    expect(range.start).toBe(100);
    expect(range.end).toBe(106); // 10,000..10,500 covers messages 100..105
    expect(range.before).toBe(10_000);
    expect(range.total).toBe(2000 * 100 - 20);
    // Spacers plus rendered messages and their gaps add up to the whole list.
    const rendered = (range.end - range.start) * 80 + (range.end - range.start - 1) * 20;
    expect(range.before + rendered + range.after).toBe(range.total);
  });

  it('adds the overscan on both sides and clamps at the ends', () => {
    const heights = Array.from({ length: 50 }, () => 80);
    expect(computeWindow({ ...base, heights, scrollTop: 1000, overscan: 200 })).toMatchObject({
      start: 8,
      end: 18,
    });
    const top = computeWindow({ ...base, heights, scrollTop: -50, overscan: 200 });
    expect(top.start).toBe(0);
    expect(top.before).toBe(0);
    const bottom = computeWindow({ ...base, heights, scrollTop: 1e9 });
    expect(bottom.end).toBe(50);
    expect(bottom.after).toBe(0);
  });

  it('pins to the end while following, whatever the scroll position says', () => {
    const heights = Array.from({ length: 300 }, (_, i) => 60 + (i % 7) * 30);
    const range = computeWindow({ ...base, heights, scrollTop: 0, atEnd: true });
    expect(range.end).toBe(300);
    expect(range.after).toBe(0);
    expect(range.start).toBeGreaterThan(290);
  });

  it('uses measured heights where known: a tall message takes the window to itself', () => {
    const heights: (number | undefined)[] = Array.from({ length: 20 }, (_, i) => (i < 10 ? 100 : undefined));
    heights[3] = 5000;
    const range = computeWindow({ ...base, heights, scrollTop: 1000 });
    expect(range.start).toBe(3);
    expect(range.end).toBe(4);
  });

  it('keeps a focused message mounted when it is near the window, and lets it go when far', () => {
    const heights = Array.from({ length: 500 }, () => 80);
    const near = computeWindow({ ...base, heights, scrollTop: 20_000, keep: 190 });
    expect(near.start).toBe(190);
    const far = computeWindow({ ...base, heights, scrollTop: 40_000, keep: 400 - KEEP_LIMIT - 10 });
    expect(far.start).toBe(400);
    const below = computeWindow({ ...base, heights, scrollTop: 0, keep: 20 });
    expect(below.end).toBe(21);
  });

  it('keeps the last messages mounted at the end, even under a tall streaming answer', () => {
    const heights = [60, 400, 60, 5000];
    expect(computeWindow({ ...base, heights, scrollTop: 0, atEnd: true }).start).toBe(3);
    expect(computeWindow({ ...base, heights, scrollTop: 0, atEnd: true, keepLast: 6 }).start).toBe(0);
    // Away from the end, the window is only what is in view.
    const long = Array.from({ length: 100 }, () => 80);
    expect(computeWindow({ ...base, heights: long, scrollTop: 0, keepLast: 6 }).start).toBe(0);
    expect(computeWindow({ ...base, heights: long, scrollTop: 0, keepLast: 6 }).end).toBe(6);
  });

  it('handles an empty list and a single message', () => {
    expect(computeWindow({ ...base, heights: [], scrollTop: 0 })).toEqual({
      start: 0,
      end: 0,
      before: 0,
      after: 0,
      total: 0,
    });
    expect(computeWindow({ ...base, heights: [40], scrollTop: 0 })).toMatchObject({
      start: 0,
      end: 1,
      after: 0,
    });
  });
});
