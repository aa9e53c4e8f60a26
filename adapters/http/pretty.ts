/**
 * `pretty`: JSON as upstream's pretty printer writes it, for success and error answers alike.
 */
import { isJsonObject } from '../../src/internal.js';
import { HttpError } from './errors.js';
import { booleanParam } from './url.js';

/** Whether `pretty` was asked for; a malformed value counts as not (the error about it is answered plainly). */
export function isPretty(query: ReadonlyMap<string, string>): boolean {
  try {
    return booleanParam(query, 'pretty');
  } catch (error) {
    if (error instanceof HttpError) return false;
    throw error;
  }
}

/**
 * JSON as upstream's pretty printer writes it (Jackson's DefaultPrettyPrinter with a two-space
 * line-feed indenter for objects and arrays): `"key" : value`, `{ }` and `[ ]` when empty, a
 * final line feed.
 */
export function prettyJson(value: unknown): string {
  const write = (v: unknown, indent: string): string => {
    if (Array.isArray(v)) {
      if (v.length === 0) return '[ ]';
      const inner = indent + '  ';
      return `[\n${v.map((x) => inner + write(x === undefined ? null : x, inner)).join(',\n')}\n${indent}]`;
    }
    if (isJsonObject(v)) {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      if (entries.length === 0) return '{ }';
      const inner = indent + '  ';
      return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)} : ${write(x, inner)}`).join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(v) ?? 'null';
  };
  return `${write(value, '')}\n`;
}
