/** The cast a parameter needs: none, ISO-8601 text to `timestamptz`, or JSON text to `json`. */
export type ParamCast = '' | '::timestamptz' | '::text::json';

/** `$n` with the column's cast. */
export const placeholder = (c: { readonly cast: ParamCast }, n: number): string => `$${n}${c.cast}`;
