import { describe, expect, it } from 'vitest';
import { connectorFromSetup, defaultFiltering, snapshotConnector } from '../../src/domain/index.js';

const NOW = new Date('2026-01-02T03:04:05.678Z');

describe('connectorFromSetup (upstream createConnectorWithDefaultValues)', () => {
  it('gives upstream\'s defaults for everything not named', () => {
    expect(connectorFromSetup('c', {}, NOW)).toEqual({
      id: 'c',
      indexName: null,
      serviceType: null,
      language: null,
      pipeline: null,
      configuration: {},
      filtering: defaultFiltering(NOW),
      deleted: false,
      name: '',
      isNative: false,
      description: null,
      status: 'created',
    });
  });

  it('keeps what the setup names; a native connector needs configuration', () => {
    const c = connectorFromSetup('c', { indexName: 'i', name: 'n', isNative: true, description: 'd', configuration: { a: 1 } }, NOW);
    expect(c).toMatchObject({ indexName: 'i', name: 'n', isNative: true, description: 'd', configuration: { a: 1 }, status: 'needs_configuration' });
  });

  it('the default filtering: one DEFAULT entry, the .* include rule stamped now, valid', () => {
    const [f] = defaultFiltering(NOW);
    expect(f!.domain).toBe('DEFAULT');
    expect(f!.active).toEqual(f!.draft);
    expect(f!.active!.rules).toEqual([
      { createdAt: NOW.toISOString(), field: '_', id: 'DEFAULT', order: 0, policy: 'include', rule: 'regex', updatedAt: NOW.toISOString(), value: '.*' },
    ]);
    expect(f!.active!.advancedSnippet).toEqual({ createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), value: {} });
    expect(f!.active!.validation).toEqual({ errors: [], state: 'valid' });
  });

  it('a job of a fresh connector snapshots configuration {} and the default active block', () => {
    const s = snapshotConnector(connectorFromSetup('c', { indexName: 'i', serviceType: 's' }, NOW), 'full');
    expect(s.configuration).toEqual({});
    expect(s.filtering).toEqual(defaultFiltering(NOW)[0]!.active);
  });
});
