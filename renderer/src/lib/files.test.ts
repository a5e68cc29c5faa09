import { describe, expect, it } from 'vitest';
import { dragHasFiles, dragHasJson } from './files.js';

/** The parts of a DragEvent the checks read: the types, the items, and (on drop) the files. */
function drag(files: { name: string; type: string }[], { dropped = false } = {}): DragEvent {
  return {
    dataTransfer: {
      types: files.length > 0 ? ['Files'] : ['text/plain'],
      items: files.map((file) => ({ kind: 'file', type: file.type })),
      // While dragging the browser hides the files themselves; only a drop shows them.
      files: dropped ? files : [],
    },
  } as unknown as DragEvent;
}

describe('telling a chat export from a model in a drag', () => {
  it('sees a JSON export while it is dragged, by its type', () => {
    expect(dragHasJson(drag([{ name: 'chat.json', type: 'application/json' }]))).toBe(true);
    expect(dragHasFiles(drag([{ name: 'chat.json', type: 'application/json' }]))).toBe(true);
  });

  it('takes a .gguf (no type) for a model, while dragged and when dropped', () => {
    const model = [{ name: 'model.gguf', type: '' }];
    expect(dragHasJson(drag(model))).toBe(false);
    expect(dragHasJson(drag(model, { dropped: true }))).toBe(false);
    expect(dragHasFiles(drag(model))).toBe(true);
  });

  it('knows a dropped .json by its name when the system gave it no type', () => {
    expect(dragHasJson(drag([{ name: 'Export.JSON', type: '' }], { dropped: true }))).toBe(true);
  });

  it('is not fooled by dragged text', () => {
    expect(dragHasFiles(drag([]))).toBe(false);
    expect(dragHasJson(drag([]))).toBe(false);
  });
});
