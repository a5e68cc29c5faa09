import { describe, expect, it } from 'vitest';
import { methodNames } from '../common/api/contract.js';
import { IpcChannel } from '../common/api/wire.js';
import { createBridge, type RendererIpc } from './bridge.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** An in-memory stand-in for ipcRenderer (the Electron binary is not available to unit tests). */
function fakeIpc() {
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: RendererIpc = {
    invoke: async (...args) => {
      invoked.push(args);
      return { ok: true, result: 'done' };
    },
    send: (...args) => void sent.push(args),
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, ...args: unknown[]) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'ipc-event-object' }, ...args);
  };
  return { ipc, invoked, sent, listeners, emit };
}

describe('createBridge', () => {
  it('sends calls on the call channel as one message', async () => {
    const { ipc, invoked } = fakeIpc();
    const bridge = createBridge(ipc);
    await expect(bridge.call('chat.send', { text: 'hi' }, 'r1')).resolves.toEqual({
      ok: true,
      result: 'done',
    });
    expect(invoked).toEqual([
      [IpcChannel.call, { method: 'chat.send', params: { text: 'hi' }, requestId: 'r1' }],
    ]);
  });

  it('has one named function per contract method', async () => {
    const { ipc, invoked } = fakeIpc();
    const bridge = createBridge(ipc);
    expect(Object.keys(bridge.api).sort()).toEqual([...methodNames].sort());
    await bridge.api['chat.send']({ conversationId: 'c', text: 'hello' }, 'r2');
    await bridge.api['models.list']({});
    expect(invoked[0]).toEqual([
      IpcChannel.call,
      { method: 'chat.send', params: { conversationId: 'c', text: 'hello' }, requestId: 'r2' },
    ]);
    const generated = invoked[1]?.[1] as { method: string; requestId: string };
    expect(generated.method).toBe('models.list');
    expect(generated.requestId.length).toBeGreaterThan(0);
  });

  it('cancels on the cancel channel', () => {
    const { ipc, sent } = fakeIpc();
    createBridge(ipc).cancel('r3');
    expect(sent).toEqual([[IpcChannel.cancel, 'r3']]);
  });

  it('passes event name and payload, never the IPC event object, and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const received: unknown[][] = [];
    const unsubscribe = createBridge(ipc).onEvent((...args) => received.push(args));
    emit(IpcChannel.event, 'chat.delta', { requestId: 'r1', text: 'a' });
    emit(IpcChannel.event, 'not.an.event', {});
    expect(received).toEqual([['chat.delta', { requestId: 'r1', text: 'a' }]]);
    unsubscribe();
    expect(listeners.get(IpcChannel.event)?.size).toBe(0);
    emit(IpcChannel.event, 'models.changed', {});
    expect(received).toHaveLength(1);
  });

  it('exposes no IPC object', () => {
    const bridge = createBridge(fakeIpc().ipc) as unknown as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual([
      'api',
      'call',
      'cancel',
      'onCommand',
      'onEvent',
      'pathForFile',
    ]);
  });

  it('gives a dropped file its real path through the given function, and none when it has none', () => {
    const file = new File(['x'], 'a.md');
    const bridge = createBridge(fakeIpc().ipc, {
      getPathForFile: (picked: never) => (picked === file ? '/home/me/a.md' : ''),
    });
    expect(bridge.pathForFile(file)).toBe('/home/me/a.md');
    expect(createBridge(fakeIpc().ipc).pathForFile(file)).toBeNull();
    const throwing = createBridge(fakeIpc().ipc, {
      getPathForFile: () => {
        throw new Error('not a real file');
      },
    });
    expect(throwing.pathForFile(file)).toBeNull();
  });

  it('passes menu commands on, dropping malformed ones, and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const received: unknown[] = [];
    const unsubscribe = createBridge(ipc).onCommand((command) => received.push(command));
    emit(IpcChannel.command, { type: 'library.addPaths', paths: ['/home/me/notes'] });
    emit(IpcChannel.command, { type: 'library.addPaths', paths: [42] });
    emit(IpcChannel.command, { type: 'something.else' });
    emit(IpcChannel.command, { type: 'setup.open', extra: 'dropped' });
    expect(received).toEqual([
      { type: 'library.addPaths', paths: ['/home/me/notes'] },
      { type: 'setup.open' },
    ]);
    unsubscribe();
    expect(listeners.get(IpcChannel.command)?.size).toBe(0);
  });
});

describe('pathForFile', () => {
  it('gives the dropped file’s path from webUtils, and null when there is none', () => {
    const { ipc } = fakeIpc();
    const seen: unknown[] = [];
    const bridge = createBridge(ipc, {
      getPathForFile: (file: never) => {
        seen.push(file);
        return (file as { name: string }).name === 'model.gguf' ? '/home/me/model.gguf' : '';
      },
    });
    expect(bridge.pathForFile({ name: 'model.gguf' })).toBe('/home/me/model.gguf');
    expect(bridge.pathForFile({ name: 'pasted' })).toBeNull();
    expect(seen).toHaveLength(2);
  });

  it('is null without webUtils and when webUtils throws for a foreign object', () => {
    const { ipc } = fakeIpc();
    expect(createBridge(ipc).pathForFile({})).toBeNull();
    const throwing = createBridge(ipc, {
      getPathForFile: () => {
        throw new TypeError('not a File');
      },
    });
    expect(throwing.pathForFile({})).toBeNull();
  });
});
