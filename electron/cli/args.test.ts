import { describe, expect, it } from 'vitest';
import { parseCommand } from './args.js';
import { UsageError } from './errors.js';

describe('parseCommand', () => {
  it.each([
    [['--help'], { name: 'help' }],
    [['-h'], { name: 'help' }],
    [['help'], { name: 'help' }],
    [['chat', '--help'], { name: 'help' }],
    [['--version'], { name: 'version' }],
    [['-v'], { name: 'version' }],
    [['serve'], { name: 'serve' }],
    [['serve', '--port', '8080'], { name: 'serve', port: 8080 }],
    [['serve', '--port=0'], { name: 'serve', port: 0 }],
    [['models', 'list'], { name: 'models.list', json: false }],
    [['models', 'list', '--json'], { name: 'models.list', json: true }],
    [['models', '--json', 'list'], { name: 'models.list', json: true }],
    [
      ['chat', '--model', 'tiny', 'Hello there'],
      { name: 'chat', model: 'tiny', prompt: 'Hello there', json: false },
    ],
    [
      ['chat', '-m', 'a/b.gguf', '--max-tokens', '12', '--json', 'tell', 'a', 'story'],
      { name: 'chat', model: 'a/b.gguf', prompt: 'tell a story', maxTokens: 12, json: true },
    ],
    [
      ['chat', '--model', 'tiny', '--', '--not-an-option'],
      { name: 'chat', model: 'tiny', prompt: '--not-an-option', json: false },
    ],
  ])('reads %j', (argv, expected) => {
    expect(parseCommand(argv)).toEqual(expected);
  });

  it.each([
    [[], /command is required/],
    [['frobnicate'], /Unknown command 'frobnicate'/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['serve', '--port'], /--port/],
    [['serve', '--port', 'eighty'], /--port takes a whole number/],
    [['serve', '--port', '70000'], /--port must be between 0 and 65535/],
    [['serve', '--port', '-1'], /--port/],
    [['serve', 'now'], /takes no argument 'now'/],
    [['serve', '--verbose'], /Unknown option '--verbose'/],
    [['models'], /needs an action: list/],
    [['models', 'delete'], /Unknown models action 'delete'/],
    [['models', 'list', 'extra'], /takes no argument 'extra'/],
    [['chat', 'hello'], /needs --model/],
    [['chat', '--model', 'tiny'], /needs a prompt/],
    [['chat', '--model', 'tiny', '   '], /needs a prompt/],
    [['chat', '--model', 'tiny', '--max-tokens', '0', 'hi'], /--max-tokens must be between 1 and 32768/],
    [['chat', '--model', 'tiny', '--max-tokens', '2.5', 'hi'], /--max-tokens takes a whole number/],
    [['chat', '--model'], /--model/],
    [['chat', '--json=yes', '--model', 'tiny', 'hi'], /--json/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
