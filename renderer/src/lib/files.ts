/** Where a dropped or picked file lives on disk: known inside Electron (via the preload), never in a browser. */
export function pathOfFile(file: File, win: Window = window): string | null {
  return win.hearth?.pathForFile?.(file) ?? null;
}

/** True when a drag carries files (not text or a link from the page). */
export function dragHasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/**
 * True when a drag carries a JSON file (a conversation export) rather than a model. While dragging,
 * only the items' types are known; on drop, the file names too.
 */
export function dragHasJson(event: DragEvent): boolean {
  const transfer = event.dataTransfer;
  if (!transfer) return false;
  const items = Array.from(transfer.items ?? []);
  if (items.some((item) => item.kind === 'file' && item.type === 'application/json')) return true;
  return Array.from(transfer.files ?? []).some((file) => /\.json$/i.test(file.name));
}
