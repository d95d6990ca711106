import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_LIMITS, type RequestLimits } from './request-limits';
import { RequestRefused } from './request-errors';
import { textProblemOf } from './text-policy';

// Nesting, checked on the raw bytes before JSON.parse (docs/input-limits.md, "Depth"): parsing 45,000 nested arrays
// costs V8 about 8 ms, more than a whole good request, for a body the guard would refuse at level 11. One pass over
// the bytes costs about 0.3 ms per 90 kB. The refusal names the same path the body guard would.
//
// A byte scan is exact for UTF-8 JSON: brackets, braces, quotes, commas and colons are ASCII, and no byte of a
// multi-byte UTF-8 character is below 0x80. Malformed JSON is left to JSON.parse, unless it nests too deep first.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;

interface Frame {
  readonly array: boolean;
  index: number;
  keyStart: number;
  keyEnd: number;
}

const keyText = (bytes: Buffer, frame: Frame): string => {
  if (frame.keyStart < 0) return '?';
  try {
    const key = JSON.parse(bytes.subarray(frame.keyStart, frame.keyEnd + 1).toString('utf8')) as string;
    return key.length <= REQUEST_LIMITS.maxKeyLength && textProblemOf(key) === null ? key : '?';
  } catch {
    return '?';
  }
};

/** `strengths[0][0]`: the path of the container being opened inside `frames`, as the body guard names fields. */
const pathOf = (bytes: Buffer, frames: readonly Frame[]): string =>
  frames.reduce((path, frame) => (frame.array ? `${path}[${frame.index}]` : path === '' ? keyText(bytes, frame) : `${path}.${keyText(bytes, frame)}`), '');

/** The refusal of a JSON text that nests deeper than `maxDepth`, or null. */
export const jsonDepthProblem = (bytes: Buffer, limits: RequestLimits = REQUEST_LIMITS): RequestRefused | null => {
  const frames: Frame[] = [];
  let inString = false;
  let stringStart = -1;
  let lastStringStart = -1;
  let lastStringEnd = -1;
  for (let at = 0; at < bytes.length; at += 1) {
    const byte = bytes[at];
    if (inString) {
      if (byte === BACKSLASH) at += 1;
      else if (byte === QUOTE) {
        inString = false;
        lastStringStart = stringStart;
        lastStringEnd = at;
      }
      continue;
    }
    switch (byte) {
      case QUOTE:
        inString = true;
        stringStart = at;
        break;
      case OPEN_ARRAY:
      case OPEN_OBJECT:
        if (frames.length + 1 > limits.maxDepth) {
          const path = pathOf(bytes, frames);
          const field = path === '' ? '(body)' : path;
          return new RequestRefused('body_too_deep', 400, `${field} nests deeper than ${limits.maxDepth} levels of objects and arrays, the most a body may have.`, field);
        }
        frames.push({ array: byte === OPEN_ARRAY, index: 0, keyStart: -1, keyEnd: -1 });
        break;
      case CLOSE_ARRAY:
      case CLOSE_OBJECT:
        frames.pop();
        break;
      case COMMA: {
        const top = frames[frames.length - 1];
        if (top?.array) top.index += 1;
        else if (top) top.keyStart = -1;
        break;
      }
      case COLON: {
        const top = frames[frames.length - 1];
        if (top && !top.array) {
          top.keyStart = lastStringStart;
          top.keyEnd = lastStringEnd;
        }
        break;
      }
      default:
    }
  }
  return null;
};

/** body-parser's `verify`: runs on the raw body before it is parsed; a refusal becomes the answer. */
export const verifyJsonDepth = (_request: IncomingMessage, _response: ServerResponse, bytes: Buffer): void => {
  const problem = jsonDepthProblem(bytes);
  if (problem) throw problem;
};
