/** Saving an export as a file, and reading a dropped or picked file for import, in the page. */

/** Offers `content` as a download named `fileName`. */
export function downloadText(
  fileName: string,
  mimeType: string,
  content: string,
  doc: Document = document,
): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Larger files are refused before they are read (the core refuses anything over its own limit too). */
export const MAX_IMPORT_FILE_BYTES = 8 * 1024 * 1024;

export async function readImportFile(file: File): Promise<string> {
  if (file.size > MAX_IMPORT_FILE_BYTES) {
    throw new Error(`${file.name} is too large to be a Hearth export (${Math.round(file.size / 1e6)} MB).`);
  }
  return file.text();
}

/**
 * Whether a dropped file is a chat export to import (a `.json` file) rather than a document for the
 * library; exports are always JSON, and the library takes every other kind.
 */
export function isChatExportFile(file: File): boolean {
  return file.name.toLowerCase().endsWith('.json');
}

/** The same while dragging, when only the MIME type is known. */
export function isChatExportType(mimeType: string): boolean {
  return mimeType === 'application/json';
}
