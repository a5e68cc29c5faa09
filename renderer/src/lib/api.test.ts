import { describe, expect, it } from 'vitest';
import { ErrorCode, HearthError } from '../../../electron/common/api/errors.js';
import { HearthClient, RemoteError, type CallEvent } from './api.js';
import { LoopbackTransport } from './loopbackTransport.testing.js';

const status = { state: 'none', modelId: null } as const;

async function rejection(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe('HearthClient', () => {
  it('returns the typed result of a call', async () => {
    const client = new HearthClient(new LoopbackTransport({ 'models.status': async () => status }));
    await expect(client.call('models.status', {})).resolves.toEqual(status);
  });

  it('rejects with the core error code and message', async () => {
    const client = new HearthClient(
      new LoopbackTransport({
        'chat.send': async () => {
          throw new HearthError(ErrorCode.NoModelLoaded, 'No model is loaded.');
        },
      }),
    );
    const error = await rejection(client.call('chat.send', { conversationId: 'c', text: 'hi' }));
    expect(error.code).toBe(ErrorCode.NoModelLoaded);
    expect(error.message).toBe('No model is loaded.');
  });

  it('rejects malformed parameters with BAD_REQUEST from the dispatcher', async () => {
    const client = new HearthClient(new LoopbackTransport({}));
    const error = await rejection(client.call('models.load', { modelId: '' }));
    expect(error.code).toBe(ErrorCode.BadRequest);
  });

  it('refuses a result that does not match the contract', async () => {
    const client = new HearthClient(
      new LoopbackTransport({ 'models.status': async () => ({ state: 'exploded' }) as never }),
    );
    const error = await rejection(client.call('models.status', {}));
    expect(error.code).toBe(ErrorCode.Internal);
    expect(error.message).toContain('unexpected reply');
  });

  it('routes events of a call to that call only, and cancels it when its signal aborts', async () => {
    let release: () => void = () => {};
    const handlerSignals: AbortSignal[] = [];
    const transport = new LoopbackTransport({
      'chat.send': async ({ conversationId }, call) => {
        handlerSignals.push(call.signal);
        call.emit('chat.delta', { requestId: call.requestId, conversationId, text: `${conversationId}!` });
        await new Promise<void>((resolve) => {
          release = resolve;
          call.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        return {
          conversationId,
          messageId: 'answer',
          text: `${conversationId}!`,
          stopReason: call.signal.aborted ? 'cancelled' : 'end',
          evaluatedPromptTokens: 1,
          generatedTokens: 1,
        };
      },
    });
    const client = new HearthClient(transport);
    const seenA: CallEvent[] = [];
    const seenB: CallEvent[] = [];
    const controller = new AbortController();
    const a = client.call(
      'chat.send',
      { conversationId: 'a', text: 'x' },
      { signal: controller.signal, onEvent: (event) => seenA.push(event) },
    );
    await Promise.resolve();
    controller.abort();
    const resultA = await a;
    const b = client.call(
      'chat.send',
      { conversationId: 'b', text: 'y' },
      { onEvent: (event) => seenB.push(event) },
    );
    await Promise.resolve();
    release();
    const resultB = await b;

    expect(resultA.stopReason).toBe('cancelled');
    expect(resultB.stopReason).toBe('end');
    expect(transport.cancelled).toHaveLength(1);
    expect(handlerSignals[0]?.aborted).toBe(true);
    expect(handlerSignals[1]?.aborted).toBe(false);
    expect(seenA.map((event) => event.event === 'chat.delta' && event.payload.text)).toEqual(['a!']);
    expect(seenB.map((event) => event.event === 'chat.delta' && event.payload.text)).toEqual(['b!']);
  });

  it('rejects at once with CANCELLED when the signal is already aborted', async () => {
    const client = new HearthClient(new LoopbackTransport({ 'models.status': async () => status }));
    const error = await rejection(client.call('models.status', {}, { signal: AbortSignal.abort() }));
    expect(error.code).toBe(ErrorCode.Cancelled);
  });

  it('delivers broadcasts to listeners and drops events that fail their schema', async () => {
    const transport = new LoopbackTransport({});
    const client = new HearthClient(transport);
    const received: unknown[] = [];
    const stop = client.on('models.changed', (payload) => received.push(payload.status.state));
    transport.emit('models.changed', { status: { state: 'loaded', modelId: 'm.gguf' } });
    transport.emit('models.changed', { status: { state: 'sideways' } });
    transport.emit('not.an.event', {});
    stop();
    transport.emit('models.changed', { status: { state: 'none', modelId: null } });
    expect(received).toEqual(['loaded']);
  });

  it('turns an error with an unknown code into INTERNAL', async () => {
    const transport = new LoopbackTransport({});
    transport.call = async () => ({ ok: false, error: { code: 'WAT' as never, name: 'X', message: 'odd' } });
    const error = await rejection(new HearthClient(transport).call('models.status', {}));
    expect(error.code).toBe(ErrorCode.Internal);
    expect(error.message).toBe('odd');
  });
});
