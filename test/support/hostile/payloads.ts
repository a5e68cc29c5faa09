/**
 * Hostile payloads for the contract fuzzer, from a seeded PRNG so a failing seed reproduces: random
 * values of every JSON shape (and, for IPC, what structured clone carries beyond JSON), and mutations
 * of a method's valid payload (keys dropped, retyped, added; absurd strings and numbers; prototype
 * keys; deep nesting).
 */
import { mulberry32 } from '../gguf/random.js';

export class Fuzz {
  readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Strings that break naive code: traversal, NUL, control and bidi characters, markup, huge. */
const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\0',
  '../../../../etc/passwd',
  '..\\..\\windows\\system32',
  '/dev/zero',
  '\\\\?\\C:\\',
  '%2e%2e%2f',
  '<script>alert(1)</script>',
  '"; DROP TABLE chunks; --',
  "' OR 1=1 --",
  '${process.exit()}',
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  'constructor',
  'prototype',
  '\u202e\u0000\ud800',
  '\uffff\ufffe',
  '🔥'.repeat(64),
  'a'.repeat(129),
  'a'.repeat(4097),
  'x'.repeat(100_001),
  'NaN',
  '-1',
  '1e309',
  'null',
  'http://127.0.0.1:9/x.gguf',
];

const NASTY_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1,
  0.5,
  255,
  256,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e308,
  -1e308,
];

/** Beyond JSON: what Electron's structured clone can carry over IPC. */
const CLONE_ONLY: ReadonlyArray<() => unknown> = [
  () => undefined,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => Number.NEGATIVE_INFINITY,
  () => 10n ** 30n,
  () => new Date(8.64e15 + 1),
  () => new Map([['a', 1]]),
  () => new Set([1, 2]),
  () => new Uint8Array(16),
  () => new ArrayBuffer(8),
  () => /re/g,
  () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    return cyclic;
  },
];

function randomString(fuzz: Fuzz): string {
  if (fuzz.chance(0.4)) return fuzz.pick(NASTY_STRINGS);
  const length = fuzz.int(40);
  let text = '';
  for (let i = 0; i < length; i++) {
    // Mostly printable ASCII, some of any BMP code point (lone surrogates included).
    text += String.fromCharCode(fuzz.chance(0.85) ? 32 + fuzz.int(95) : fuzz.int(0x10000));
  }
  return text;
}

/** A random value; `cloneable` adds values only IPC can carry. */
export function randomValue(fuzz: Fuzz, cloneable: boolean, depth = 0): unknown {
  const roll = fuzz.int(cloneable ? 10 : 9);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return fuzz.chance(0.5);
    case 2:
      return fuzz.chance(0.5) ? fuzz.pick(NASTY_NUMBERS) : (fuzz.next() - 0.5) * 10 ** fuzz.int(12);
    case 3:
    case 4:
      return randomString(fuzz);
    case 5:
      if (depth > 3) return [];
      return Array.from({ length: fuzz.int(5) }, () => randomValue(fuzz, cloneable, depth + 1));
    case 6:
    case 7: {
      if (depth > 3) return {};
      const object: Record<string, unknown> = {};
      for (let i = fuzz.int(5); i > 0; i--)
        object[randomString(fuzz)] = randomValue(fuzz, cloneable, depth + 1);
      return object;
    }
    case 8:
      return deepNesting(fuzz);
    default:
      return fuzz.pick(CLONE_ONLY)();
  }
}

/** Arrays or objects nested hundreds deep (a stack-hungry validator would fall over). */
function deepNesting(fuzz: Fuzz): unknown {
  let value: unknown = 'bottom';
  const depth = 50 + fuzz.int(450);
  for (let i = 0; i < depth; i++) value = fuzz.chance(0.5) ? [value] : { nested: value };
  return value;
}

/**
 * One to three mutations of `valid` (a method's valid payload): a key dropped, set to a random value,
 * an unknown or prototype key added, a string made absurd, a number made extreme, an array made huge.
 */
export function mutatePayload(fuzz: Fuzz, valid: Record<string, unknown>, cloneable: boolean): unknown {
  // Own keys only, and __proto__ as an own key (as JSON.parse makes it from a hostile frame).
  const payload: Record<string, unknown> = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
  const keys = Object.keys(payload);
  for (let i = 1 + fuzz.int(3); i > 0; i--) {
    const key = keys.length ? fuzz.pick(keys) : 'extra';
    switch (fuzz.int(8)) {
      case 0:
        delete payload[key];
        break;
      case 1:
        payload[key] = randomValue(fuzz, cloneable);
        break;
      case 2:
        payload[randomString(fuzz)] = randomValue(fuzz, cloneable);
        break;
      case 3:
        Object.defineProperty(payload, fuzz.pick(['__proto__', 'constructor', 'toString']), {
          value: { polluted: true },
          enumerable: true,
          configurable: true,
          writable: true,
        });
        break;
      case 4:
        if (typeof payload[key] === 'string') payload[key] = fuzz.pick(NASTY_STRINGS);
        else payload[key] = randomString(fuzz);
        break;
      case 5:
        payload[key] = fuzz.pick(NASTY_NUMBERS) * (fuzz.chance(0.5) ? 1 : -1);
        break;
      case 6:
        // Long arrays of short items: the frame stays under the host's limit (oversized frames are
        // the host-attack suite's business).
        payload[key] = Array.from({ length: fuzz.chance(0.1) ? 20_000 : fuzz.int(50) }, () =>
          fuzz.chance(0.5) ? String.fromCharCode(32 + fuzz.int(95)).repeat(fuzz.int(8)) : 0,
        );
        break;
      default:
        if (cloneable) payload[key] = fuzz.pick(CLONE_ONLY)();
        else payload[key] = deepNesting(fuzz);
    }
  }
  return payload;
}

/** A request id: valid mostly, sometimes empty, too long, or not a string. */
export function randomRequestId(fuzz: Fuzz, serial: number): unknown {
  if (fuzz.chance(0.93)) return `fuzz-${serial}`;
  return fuzz.pick<unknown>(['', 'x'.repeat(129 + (serial % 1000)), 42, null, {}, ['id']]);
}
