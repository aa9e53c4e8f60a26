import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { idAnswerText } from '../../../adapters/http/sync-job-routes.js';

describe('idAnswerText: the create answer written by hand', () => {
  it('writes what JSON.stringify writes for generated ids', () => {
    for (const id of ['AaImJgADM_HJzqkzuRpm', 'a-b.c_d', '', '0']) expect(idAnswerText(id)).toBe(JSON.stringify({ id }));
  });

  it('escapes what JSON needs escaped', () => {
    for (const id of ['a"b', 'a\\b', 'line\nbreak', '\u0001', 'é', '\u2028', '\ud800']) expect(idAnswerText(id)).toBe(JSON.stringify({ id }));
  });

  test.prop([fc.string({ unit: 'binary' })], { numRuns: 2_000 })('equals JSON.stringify({id}) for any string', (id) => {
    expect(idAnswerText(id)).toBe(JSON.stringify({ id }));
  });
});
