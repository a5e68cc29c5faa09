/**
 * The only place that talks to `ipcMain`. One handler serves every contract method: it checks that the
 * sender is the main frame of the app's own page, then hands method, params and request id to that
 * window's Dispatcher, which validates them against the contract and runs the core's handler
 * (callHandler.ts holds those steps, free of Electron, for the hostile-input tests).
 */
import {
  BrowserWindow,
  ipcMain,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import { Dispatcher, type EventSink, type Outcome } from '../../common/api/dispatch.js';
import type { EventName } from '../../common/api/contract.js';
import { IpcChannel } from '../../common/api/wire.js';
import type { Engine } from '../../core/Engine.js';
import { isAppOrigin } from '../origins.js';
import { answerIpcCall, answerIpcCancel } from './callHandler.js';

export interface IpcRouterOptions {
  /** What the router needs from the engine: its handlers and its broadcast events. */
  engine: Pick<Engine, 'handlers' | 'onEvent'>;
  /** Origins whose main frame may call (the `app://` origin, plus the dev server's while developing). */
  origins: readonly string[];
}

/** Registers the IPC handlers. Returns a function that removes them and cancels every running call. */
export function registerIpcRouter({ engine, origins }: IpcRouterOptions): () => void {
  const connections = new Map<WebContents, { dispatcher: Dispatcher; detach: () => void }>();

  function send(contents: WebContents, event: EventName, payload: unknown): void {
    if (!contents.isDestroyed()) contents.send(IpcChannel.event, event, payload);
  }

  function dispatcherFor(contents: WebContents): Dispatcher {
    const existing = connections.get(contents);
    if (existing) return existing.dispatcher;

    const sink: EventSink = (event, payload) => send(contents, event, payload);
    const dispatcher = new Dispatcher(engine.handlers, sink);
    const onDestroyed = () => {
      dispatcher.cancelAll();
      connections.delete(contents);
    };
    // A reload or a navigation leaves no page to receive the answer: stop its calls.
    const onNavigation = (details: { isMainFrame: boolean; isSameDocument: boolean }) => {
      if (details.isMainFrame && !details.isSameDocument) dispatcher.cancelAll();
    };
    contents.once('destroyed', onDestroyed);
    contents.on('did-start-navigation', onNavigation);
    connections.set(contents, {
      dispatcher,
      detach: () => {
        contents.off('destroyed', onDestroyed);
        contents.off('did-start-navigation', onNavigation);
      },
    });
    return dispatcher;
  }

  const framesOf = (event: IpcMainEvent | IpcMainInvokeEvent) => ({
    senderFrame: event.senderFrame,
    mainFrame: event.sender.mainFrame,
  });

  ipcMain.handle(IpcChannel.call, (event, message: unknown): Promise<Outcome> =>
    answerIpcCall(framesOf(event), message, origins, () => dispatcherFor(event.sender)),
  );

  const onCancel = (event: IpcMainEvent, requestId: unknown) =>
    answerIpcCancel(framesOf(event), requestId, origins, connections.get(event.sender)?.dispatcher);
  ipcMain.on(IpcChannel.cancel, onCancel);

  // Broadcasts (models.changed) go to every window that shows the app.
  const unsubscribe = engine.onEvent((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      const contents = window.webContents;
      if (!contents.isDestroyed() && isAppOrigin(contents.getURL(), origins)) send(contents, event, payload);
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IpcChannel.call);
    ipcMain.off(IpcChannel.cancel, onCancel);
    for (const { dispatcher, detach } of connections.values()) {
      dispatcher.cancelAll();
      detach();
    }
    connections.clear();
  };
}
