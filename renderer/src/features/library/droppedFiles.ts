/**
 * What the user dropped or picked, as the core can take it. Inside Electron the preload tells the real
 * path of each dropped file or folder; in a browser the files themselves are read (folders walked
 * through the File and Directory Entries API) and uploaded to the host.
 */

/** A file from the browser, with its path inside the dropped or picked folder ("notes/a.md"). */
export interface PickedFile {
  file: File;
  relativePath: string;
}

/** Everything one drop or pick brought in. */
export interface Intake {
  /** Real paths on disk (Electron only): files and whole folders. */
  paths: string[];
  /** File contents to upload (browser). */
  files: PickedFile[];
}

/** Gives the real path of a File picked or dropped in this window; only Electron's preload can. */
export type PathForFile = (file: File) => string | null;

/** Dropped files that another feature takes instead of the library (chat exports for the chat import). */
export interface DropClaim {
  /** Whether a dropped file (never a folder) is this feature's, by its name. */
  claims: (file: File) => boolean;
  /** While dragging only MIME types are known: whether one is this feature's. */
  claimsType: (mimeType: string) => boolean;
  /** The overlay's title when everything dragged is this feature's. */
  title: string;
  hint: string;
  onFiles: (files: File[]) => void;
}

/** A part of the window (found by a CSS selector) whose dropped files go elsewhere than the library. */
export interface DropZone {
  selector: string;
  /** The overlay's words while the pointer is over the zone. */
  title: string;
  hint: string;
  onIntake: (intake: Intake) => void;
}

/** Whether a drag carries files (and not, say, selected text). */
export function dragHasFiles(transfer: DataTransfer | null): boolean {
  return transfer !== null && Array.from(transfer.types).includes('Files');
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

/** Every file under an entry, depth first; a directory reader hands out its entries in batches. */
async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const relativePath = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (isFile(entry)) {
    out.push({ file: await entryFile(entry), relativePath });
  } else if (isDirectory(entry)) {
    const reader = entry.createReader();
    for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
      for (const child of batch) await walk(child, relativePath, out);
    }
  }
}

/**
 * Reads a drop. Must be called inside the drop handler: the browser empties the DataTransfer once the
 * event returns, so the entries are taken synchronously before anything is awaited.
 */
export function readDrop(transfer: DataTransfer, pathForFile?: PathForFile): Promise<Intake> {
  return splitDrop(transfer, () => false, pathForFile).rest;
}

/** A drop divided between another feature (the files it claims) and the library (the rest). */
export interface SplitDrop {
  /** Dropped files (never folders) that `claims` took, in drop order. */
  claimed: File[];
  /** Everything else, as the library takes it. */
  rest: Promise<Intake>;
}

/**
 * Reads a drop like readDrop, first taking out the top-level files (not folders, nor files inside a
 * dropped folder) that `claims` picks, e.g. chat exports for the chat import. Call it inside the drop
 * handler, as readDrop.
 */
export function splitDrop(
  transfer: DataTransfer,
  claims: (file: File) => boolean,
  pathForFile?: PathForFile,
): SplitDrop {
  const files = Array.from(transfer.files);
  const fileItems = Array.from(transfer.items ?? []).filter((item) => item.kind === 'file');
  // Items and files list the same drop in the same order; the entries tell folders from files.
  const entries =
    fileItems.length === files.length ? fileItems.map((item) => item.webkitGetAsEntry?.() ?? null) : [];
  const claimed: File[] = [];
  const keptFiles: File[] = [];
  const keptEntries: (FileSystemEntry | null)[] = [];
  files.forEach((file, index) => {
    const entry = entries[index] ?? null;
    if (!(entry && isDirectory(entry)) && claims(file)) {
      claimed.push(file);
      return;
    }
    keptFiles.push(file);
    keptEntries.push(entry);
  });
  return { claimed, rest: readKept(keptFiles, keptEntries, pathForFile) };
}

function readKept(
  files: File[],
  entries: (FileSystemEntry | null)[],
  pathForFile?: PathForFile,
): Promise<Intake> {
  if (pathForFile) {
    // Electron: a dropped folder arrives as one File whose path is the folder's.
    const paths = files.map((file) => pathForFile(file)).filter((path): path is string => !!path);
    return Promise.resolve({ paths, files: [] });
  }
  if (entries.length === 0 || entries.some((entry) => entry === null)) {
    return Promise.resolve({ paths: [], files: files.map((file) => ({ file, relativePath: file.name })) });
  }
  return (async () => {
    const picked: PickedFile[] = [];
    for (const entry of entries) if (entry) await walk(entry, '', picked);
    return { paths: [], files: picked };
  })();
}

/**
 * Reads the files of an `<input type="file">` (with `webkitdirectory` for a folder). In Electron a picked
 * folder is passed as the folder's path, so the core can keep watching it.
 */
export function readPicked(list: FileList, pathForFile?: PathForFile): Intake {
  const files = Array.from(list).map((file) => ({
    file,
    relativePath: file.webkitRelativePath || file.name,
  }));
  if (!pathForFile) return { paths: [], files };
  const paths = new Set<string>();
  for (const { file, relativePath } of files) {
    const path = pathForFile(file);
    if (!path) continue;
    const topFolder = relativePath.includes('/') ? relativePath.split('/')[0] : undefined;
    if (topFolder === undefined) {
      paths.add(path);
      continue;
    }
    // "/home/me/notes/sub/a.md" with relative "notes/sub/a.md" -> the picked folder "/home/me/notes".
    const inside = relativePath.slice(topFolder.length + 1);
    const folder = path.slice(0, path.length - inside.length - 1);
    paths.add(folder.length > 0 && path.endsWith(inside) ? folder : path);
  }
  return { paths: [...paths], files: [] };
}
