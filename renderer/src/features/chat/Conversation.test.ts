import { describe, expect, it } from 'vitest';
import type { Params } from '../../../../electron/common/api/contract.js';
import { ErrorCode, HearthError } from '../../../../electron/common/api/errors.js';
import { HearthClient } from '../../lib/api.js';
import { LoopbackTransport } from '../../lib/loopbackTransport.testing.js';
import { Conversation } from './Conversation.svelte.js';

/** A stand-in core that answers with the given words, one delta each, checking in between. */
function scriptedCore(words: string[], between: (index: number) => Promise<void> | void = () => {}) {
  const sent: Params<'chat.send'>[] = [];
  const resets: string[] = [];
  const transport = new LoopbackTransport({
    'chat.send': async (params, call) => {
      sent.push(params);
      let text = '';
      let generated = 0;
      for (const [index, word] of words.entries()) {
        if (call.signal.aborted) break;
        text += word;
        generated += 1;
        call.emit('chat.delta', {
          requestId: call.requestId,
          conversationId: params.conversationId,
          text: word,
        });
        await between(index);
      }
      return {
        conversationId: params.conversationId,
        text,
        stopReason: call.signal.aborted ? 'cancelled' : 'end',
        evaluatedPromptTokens: 3,
        generatedTokens: generated,
      };
    },
    'chat.reset': async ({ conversationId }) => {
      resets.push(conversationId);
      return {};
    },
  });
  return { client: new HearthClient(transport), sent, resets };
}

describe('Conversation', () => {
  it('streams deltas into one reply without rebuilding the transcript', async () => {
    const seen: { text: string; transcript: readonly unknown[] }[] = [];
    const core = scriptedCore(['Once', ' upon', ' a', ' time'], () => {
      const reply = conversation.messages.at(-1);
      seen.push({ text: reply?.text ?? '', transcript: conversation.messages });
    });
    const conversation = new Conversation(core.client);

    await conversation.send('Tell me a story', 'tiny');

    expect(seen.map((step) => step.text)).toEqual(['Once', 'Once upon', 'Once upon a', 'Once upon a time']);
    // The same array the whole time: only the streaming message's text changed per delta.
    expect(new Set(seen.map((step) => step.transcript)).size).toBe(1);
    const [question, reply] = conversation.messages;
    expect(question?.role).toBe('user');
    expect(question?.text).toBe('Tell me a story');
    expect(reply?.role).toBe('assistant');
    expect(reply?.author).toBe('tiny');
    expect(reply?.state).toBe('done');
    expect(reply?.stopReason).toBe('end');
    expect(reply?.stats?.generatedTokens).toBe(4);
    expect(conversation.busy).toBe(false);
  });

  it('keeps the partial answer when stopped, and marks it', async () => {
    const core = scriptedCore(['a', 'b', 'c', 'd'], (index) => {
      if (index === 1) conversation.stop();
    });
    const conversation = new Conversation(core.client);
    await conversation.send('go', null);
    const reply = conversation.messages.at(-1);
    expect(reply?.text).toBe('ab');
    expect(reply?.stopReason).toBe('cancelled');
    expect(reply?.state).toBe('done');
  });

  it('sends follow-ups in the same conversation and starts a new one on reset', async () => {
    const core = scriptedCore(['ok']);
    const conversation = new Conversation(core.client);
    await conversation.send('first', null);
    await conversation.send('second', null);
    const firstId = conversation.id;
    expect(core.sent.map((params) => params.conversationId)).toEqual([firstId, firstId]);
    expect(conversation.messages).toHaveLength(4);

    await conversation.reset();
    expect(core.resets).toEqual([firstId]);
    expect(conversation.id).not.toBe(firstId);
    expect(conversation.messages).toHaveLength(0);
  });

  it('shows a typed error in place of the answer', async () => {
    const client = new HearthClient(
      new LoopbackTransport({
        'chat.send': async () => {
          throw new HearthError(ErrorCode.NoModelLoaded, 'No model is loaded.');
        },
      }),
    );
    const conversation = new Conversation(client);
    await conversation.send('hello', null);
    const reply = conversation.messages.at(-1);
    expect(reply?.state).toBe('failed');
    expect(reply?.error?.code).toBe(ErrorCode.NoModelLoaded);
    expect(conversation.busy).toBe(false);
  });

  it('ignores an empty message and a second send while one streams', async () => {
    let release: () => void = () => {};
    const core = scriptedCore(['x'], () => new Promise<void>((resolve) => (release = resolve)));
    const conversation = new Conversation(core.client);
    await conversation.send('   ', null);
    expect(conversation.messages).toHaveLength(0);
    const first = conversation.send('one', null);
    await conversation.send('two', null);
    release();
    await first;
    expect(core.sent.map((params) => params.text)).toEqual(['one']);
  });
});

describe('Conversation and the loaded model', () => {
  it('marks where the model was switched and goes on in the same conversation', async () => {
    const core = scriptedCore(['ok']);
    const conversation = new Conversation(core.client);
    conversation.followModel('a.gguf', 'A');
    await conversation.send('hi', 'A');
    const firstId = conversation.id;

    conversation.followModel('a.gguf', 'A');
    expect(conversation.messages).toHaveLength(2);

    conversation.followModel(null, null);
    conversation.followModel('b.gguf', 'B');
    expect(conversation.id).toBe(firstId);
    expect(conversation.messages.at(-1)?.role).toBe('divider');
    expect(conversation.messages.at(-1)?.text).toBe('Switched to B. The conversation continues with it.');

    await conversation.send('again', 'B');
    expect(core.sent.map((params) => params.conversationId)).toEqual([firstId, firstId]);
  });

  it('says nothing when the same model comes back after an idle unload', async () => {
    const conversation = new Conversation(scriptedCore(['ok']).client);
    conversation.followModel('a.gguf', 'A');
    await conversation.send('hi', 'A');
    conversation.followModel(null, null);
    conversation.followModel('a.gguf', 'A');
    expect(conversation.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
  });

  it('says nothing when the first model is loaded into an empty conversation', () => {
    const conversation = new Conversation(scriptedCore([]).client);
    conversation.followModel(null, null);
    conversation.followModel('a.gguf', 'A');
    expect(conversation.messages).toHaveLength(0);
  });
});

describe('Conversation and a model reloaded by a message', () => {
  it('passes the reload’s progress on before the answer streams', async () => {
    const transport = new LoopbackTransport({
      'chat.send': async (params, call) => {
        call.emit('models.loadProgress', { requestId: call.requestId, modelId: 'a.gguf', progress: 0.5 });
        call.emit('chat.delta', {
          requestId: call.requestId,
          conversationId: params.conversationId,
          text: 'hi',
        });
        return {
          conversationId: params.conversationId,
          text: 'hi',
          stopReason: 'end',
          evaluatedPromptTokens: 1,
          generatedTokens: 1,
        };
      },
    });
    const conversation = new Conversation(new HearthClient(transport));
    const seen: [string, number][] = [];
    conversation.onModelLoadProgress = (modelId, progress) => seen.push([modelId, progress]);
    await conversation.send('hello', 'A');
    expect(seen).toEqual([['a.gguf', 0.5]]);
    expect(conversation.messages.at(-1)?.text).toBe('hi');
  });
});
