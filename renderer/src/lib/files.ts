/** Where a dropped or picked file lives on disk: known inside Electron (via the preload), never in a browser. */
export function pathOfFile(file: File, win: Window = window): string | null {
  return win.hearth?.pathForFile?.(file) ?? null;
}

/** True when a drag carries files (not text or a link from the page). */
export function dragHasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}
