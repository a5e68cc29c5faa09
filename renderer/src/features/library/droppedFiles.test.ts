import { describe, expect, it } from 'vitest';
import { dragHasFiles, readDrop, readPicked, splitDrop } from './droppedFiles.js';

function fileWithPath(name: string, relativePath = ''): File {
  const file = new File(['x'], name);
  Object.defineProperty(file, 'webkitRelativePath', { value: relativePath });
  return file;
}

function fileList(files: File[]): FileList {
  return Object.assign([...files], { item: (index: number) => files[index] ?? null }) as unknown as FileList;
}

describe('reading what the user picked or dropped', () => {
  it('in Electron, passes a picked folder as the folder path, once', () => {
    const paths = new Map<File, string>();
    const a = fileWithPath('a.md', 'notes/a.md');
    const b = fileWithPath('b.md', 'notes/sub/b.md');
    paths.set(a, '/home/me/notes/a.md');
    paths.set(b, '/home/me/notes/sub/b.md');
    const intake = readPicked(fileList([a, b]), (file) => paths.get(file) ?? '');
    expect(intake).toEqual({ paths: ['/home/me/notes'], files: [] });
  });

  it('in Electron, passes picked files by their paths', () => {
    const a = fileWithPath('a.pdf');
    const intake = readPicked(fileList([a]), () => 'C:\\Users\\me\\a.pdf');
    expect(intake.paths).toEqual(['C:\\Users\\me\\a.pdf']);
  });

  it('in a browser, keeps each file with its path inside the picked folder', () => {
    const a = fileWithPath('a.md', 'notes/a.md');
    const loose = fileWithPath('loose.txt');
    const intake = readPicked(fileList([a, loose]));
    expect(intake.paths).toEqual([]);
    expect(intake.files.map((picked) => picked.relativePath)).toEqual(['notes/a.md', 'loose.txt']);
  });

  it('in Electron, a drop gives the real paths of files and folders', async () => {
    const folder = fileWithPath('notes');
    const transfer = { files: fileList([folder]), items: [] } as unknown as DataTransfer;
    expect(await readDrop(transfer, () => '/home/me/notes')).toEqual({
      paths: ['/home/me/notes'],
      files: [],
    });
  });

  it('takes the claimed files out of a drop and leaves the rest, folders included, to the library', async () => {
    const chat = new File(['{}'], 'chat.JSON');
    const notes = new File(['x'], 'notes.md');
    const folder = new File([''], 'exports.json');
    const entry = (isDirectory: boolean) => ({ isDirectory, isFile: !isDirectory });
    const items = [chat, notes, folder].map((file) => ({
      kind: 'file',
      webkitGetAsEntry: () => entry(file === folder),
    }));
    const transfer = { files: fileList([chat, notes, folder]), items } as unknown as DataTransfer;
    const paths = new Map<File, string>([
      [chat, '/home/me/chat.JSON'],
      [notes, '/home/me/notes.md'],
      [folder, '/home/me/exports.json'],
    ]);
    const isJson = (file: File) => file.name.toLowerCase().endsWith('.json');
    const split = splitDrop(transfer, isJson, (file) => paths.get(file) ?? '');
    expect(split.claimed).toEqual([chat]);
    expect(await split.rest).toEqual({ paths: ['/home/me/notes.md', '/home/me/exports.json'], files: [] });

    // In a browser without entries, the files themselves are kept for upload.
    const plain = { files: fileList([chat, notes]), items: [] } as unknown as DataTransfer;
    const browserSplit = splitDrop(plain, isJson);
    expect(browserSplit.claimed).toEqual([chat]);
    expect(await browserSplit.rest).toEqual({
      paths: [],
      files: [{ file: notes, relativePath: 'notes.md' }],
    });
  });

  it('tells a drag of files from a drag of text', () => {
    expect(dragHasFiles({ types: ['Files'] } as unknown as DataTransfer)).toBe(true);
    expect(dragHasFiles({ types: ['text/plain'] } as unknown as DataTransfer)).toBe(false);
    expect(dragHasFiles(null)).toBe(false);
  });
});
