import { createHash } from 'node:crypto';
import type { QueryOptions } from './queryable.js';

/** Statement names by text (each text's name computed once; the texts come from bounded caches). */
const statementNames = new Map<string, string>();

/**
 * The name a statement is prepared under: `csj_<kind>_<sha1 of its text, 16 hex digits>`, so one
 * name always means one text, in this process and in any other copy or version of this library
 * sharing the connection or the PGlite instance (a counter or a shape key would let two copies
 * give one name two texts: `pg` then refuses it, and PGlite would run the other copy's statement).
 */
export function statementName(kind: string, text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `csj_${kind}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    if (statementNames.size < 4096) statementNames.set(text, name);
  }
  return name;
}

/**
 * The options of a job statement sent under `name` (from {@link statementName}; undefined:
 * unnamed): the job store's choice, a prepared statement unless its `preparedStatements` is false.
 */
export type NamedOptions = (name: string | undefined) => QueryOptions;

/** The store's and the queue's {@link NamedOptions}: named (prepared) statements unless `preparedStatements` is false. */
export function namedOptions(preparedStatements: boolean | undefined): NamedOptions {
  return preparedStatements === false ? () => PLAIN_TYPES : (name) => (name === undefined ? PLAIN_TYPES : { plainTypes: true, prepare: name });
}

const PLAIN_TYPES: QueryOptions = { plainTypes: true };
