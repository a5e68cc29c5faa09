import { describe, expect, it } from 'vitest';
import { Dispatcher, type Handlers } from '../../common/api/dispatch.js';
import { ErrorCode } from '../../common/api/errors.js';
import { APP_ENTRY_URL, appOrigins } from '../origins.js';
import { answerIpcCall, answerIpcCancel } from './callHandler.js';

const origins = appOrigins();
const mainFrame = { url: APP_ENTRY_URL, processId: 3, routingId: 1 };
const app = { senderFrame: mainFrame, mainFrame };

function recordingDispatcher() {
  const seen: unknown[] = [];
  const handlers = {
    'settings.set': async (params: unknown) => {
      seen.push(params);
      return { idleUnloadMinutes: 15 };
    },
  } as unknown as Handlers;
  return { dispatcher: new Dispatcher(handlers, () => {}), seen };
}

describe('answerIpcCall', () => {
  it('refuses a foreign sender before any dispatcher exists', async () => {
    let asked = 0;
    const outcome = await answerIpcCall(
      { senderFrame: { ...mainFrame, url: 'https://evil.example/' }, mainFrame },
      { method: 'settings.set', params: {}, requestId: 'r1' },
      origins,
      () => {
        asked++;
        return recordingDispatcher().dispatcher;
      },
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: ErrorCode.Unauthorized } });
    expect(asked).toBe(0);
  });

  it.each([null, 42, 'call', ['settings.set']])(
    'refuses a message that is not an object: %s',
    async (message) => {
      const outcome = await answerIpcCall(app, message, origins, () => recordingDispatcher().dispatcher);
      expect(outcome).toMatchObject({ ok: false, error: { code: ErrorCode.BadRequest } });
    },
  );

  it('hands the core JSON data only: undefined keys dropped, as over the WebSocket', async () => {
    const { dispatcher, seen } = recordingDispatcher();
    const outcome = await answerIpcCall(
      app,
      { method: 'settings.set', params: { idleUnloadMinutes: 5, extra: undefined }, requestId: 'r1' },
      origins,
      () => dispatcher,
    );
    expect(outcome.ok).toBe(true);
    expect(seen).toEqual([{ idleUnloadMinutes: 5 }]);
  });

  it.each([
    ['a BigInt', { idleUnloadMinutes: 10n }],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = {};
        o['self'] = o;
        return o;
      })(),
    ],
  ])('refuses parameters that are not JSON data: %s', async (_name, params) => {
    const { dispatcher, seen } = recordingDispatcher();
    const outcome = await answerIpcCall(
      app,
      { method: 'settings.set', params, requestId: 'r1' },
      origins,
      () => dispatcher,
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: ErrorCode.BadRequest } });
    expect(seen).toEqual([]);
  });
});

describe('answerIpcCancel', () => {
  it('cancels only for the app frame and a string id', () => {
    const cancelled: string[] = [];
    const dispatcher = { cancel: (id: string) => (cancelled.push(id), true) } as unknown as Dispatcher;
    answerIpcCancel({ senderFrame: null, mainFrame }, 'r1', origins, dispatcher);
    answerIpcCancel(app, 42, origins, dispatcher);
    answerIpcCancel(app, 'r2', origins, dispatcher);
    expect(cancelled).toEqual(['r2']);
  });
});
