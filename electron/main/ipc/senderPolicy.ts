/**
 * Who may call the main process: only the main frame of a window showing the app's own origin.
 * Pure (no Electron import): the router passes Electron's WebFrameMain objects, tests pass plain ones.
 */
import { isAppOrigin } from '../origins.js';

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string };

/**
 * `senderFrame` is null when the frame navigated away or was destroyed before the message arrived.
 * The main-frame test is identity first (Electron keeps one WebFrameMain per frame) and, to be robust,
 * the same process and routing id as the window's main frame: an iframe or a fenced frame never matches.
 */
export function checkSender(
  senderFrame: FrameLike | null | undefined,
  mainFrame: FrameLike | null | undefined,
  origins: readonly string[],
): SenderVerdict {
  if (!senderFrame) return { ok: false, reason: 'The sending frame is gone.' };
  if (!isAppOrigin(senderFrame.url, origins)) {
    return { ok: false, reason: 'The sender is not the app’s own page.' };
  }
  const isMainFrame =
    !!mainFrame &&
    (senderFrame === mainFrame ||
      (senderFrame.processId === mainFrame.processId && senderFrame.routingId === mainFrame.routingId));
  if (!isMainFrame) return { ok: false, reason: 'Only the window’s main frame may call the app.' };
  return { ok: true };
}
