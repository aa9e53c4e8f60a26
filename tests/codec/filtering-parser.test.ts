import { describe, expect, it } from 'vitest';
import { Instant, InvalidRequestError, normalizeInstant, parseConnectorFiltering } from '../../src/internal.js';

const NOW = Instant.parse('2026-01-02T03:04:05.678Z')!;
const snippet = { created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z', value: {} };
const validation = { errors: [{ ids: ['r'], messages: ['m'] }], state: 'Invalid' };
const rule = { id: 'r', field: 'f', order: '2', policy: 'Exclude', rule: 'starts_with', value: 'v' };
const entry = (r: unknown = rule) => ({ domain: 'ignored', active: { advanced_snippet: snippet, rules: [r], validation }, draft: { advanced_snippet: snippet, rules: [], validation }, extra: 1 });

function chain(e: unknown): string {
  const parts: string[] = [];
  for (let c = e as Error | undefined; c; c = c.cause as Error | undefined) parts.push(c.message);
  return parts.join(' | ');
}

describe('normalizeInstant (upstream Instant.parse, printed as strict_date_optional_time)', () => {
  it.each([
    ['2024-01-02T03:04:05+02:00', '2024-01-02T01:04:05.000Z'],
    ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04Z', '2024-01-02T03:04:00.000Z'],
    ['2024-01-02T03:04:05.1Z', '2024-01-02T03:04:05.100Z'],
    ['2023-12-04T08:45:50.567149Z', '2023-12-04T08:45:50.567149Z'],
    ['2024-01-01T00:30:00-01:30', '2024-01-01T02:00:00.000Z'],
  ])('%s -> %s', (text, want) => {
    expect(normalizeInstant(text)).toBe(want);
  });

  it.each(['yesterday', '2024-01-02', '2024-02-30T00:00:00Z', '2024-01-02T25:00:00Z', '2024-01-02T03:04:05', ''])('refuses %j', (text) => {
    expect(() => normalizeInstant(text)).toThrow(InvalidRequestError);
  });
});

describe('parseConnectorFiltering (upstream\'s filtering parsers)', () => {
  it('reads a valid entry: enums case-folded, order from a numeric string, rule timestamps default to now, unknown keys ignored, domain DEFAULT', () => {
    const [f] = parseConnectorFiltering([entry()] as never, 'connector_put_request', NOW);
    expect(f!.domain).toBe('DEFAULT');
    expect(f!.active!.rules).toEqual([
      { createdAt: NOW.toString(), field: 'f', id: 'r', order: 2, policy: 'exclude', rule: 'starts_with', updatedAt: NOW.toString(), value: 'v' },
    ]);
    expect(f!.active!.validation).toEqual({ errors: [{ ids: ['r'], messages: ['m'] }], state: 'invalid' });
    expect(f!.active!.advancedSnippet).toEqual({ createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', value: {} });
  });

  it.each([
    ['wrong type of a rule field', entry({ ...rule, value: 7 }), "[connector_filtering_rule] value doesn't support values of type: VALUE_NUMBER"],
    ['missing rule fields', entry({ junk: true }), 'Required [field, id, order, policy, rule, value]'],
    ['unknown policy', entry({ ...rule, policy: 'maybe' }), 'Unknown FilteringPolicy [maybe].'],
    ['rule condition matched exactly', entry({ ...rule, rule: 'REGEX' }), 'Unknown FilteringRuleCondition [REGEX].'],
    ['a snippet value that is not an object', { ...entry(), active: { advanced_snippet: { ...snippet, value: 'x' }, rules: [], validation } }, "value doesn't support values of type: VALUE_STRING"],
    ['a block without validation', { ...entry(), active: { advanced_snippet: snippet, rules: [] } }, 'Required [validation]'],
    ['an entry without draft', { active: entry().active }, 'Required [draft]'],
    ['a bad date', entry({ ...rule, created_at: 'x' }), "Text 'x' could not be parsed"],
    ['an entry that is not an object', 5, "filtering doesn't support values of type: VALUE_NUMBER"],
  ])('%s -> InvalidRequestError', (_what, e, reason) => {
    let error: unknown;
    try {
      parseConnectorFiltering([e] as never, 'connector_put_request', NOW);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe('filtering');
    expect(chain(error)).toMatch(/^\[connector_put_request\] failed to parse field \[filtering\]/);
    expect(chain(error)).toContain(reason);
  });
});
