import { describe, expect, it } from 'vitest';
import { InvalidRequestError, decodeConnectorDocument } from '../../src/index.js';

function fail(doc: unknown): InvalidRequestError {
  try {
    decodeConnectorDocument('c', doc, { strict: true });
  } catch (e) {
    if (e instanceof InvalidRequestError) return e;
    throw e;
  }
  throw new Error('expected InvalidRequestError');
}

describe('connector setup body (connector_put_request) on the strict-body parser', () => {
  it('accepts nulls and reads every declared field', () => {
    const c = decodeConnectorDocument(
      'c',
      { index_name: null, name: 'n', service_type: 's', language: null, is_native: null, pipeline: null, configuration: null, filtering: null, deleted: null },
      { strict: true },
    );
    expect(c).toMatchObject({ indexName: null, name: 'n', serviceType: 's', pipeline: null, deleted: false, isNative: false });
  });

  it('the first bad field in body order answers; unknown fields get did-you-mean', () => {
    expect(fail({ is_native: 'yes', zzz: 1 }).message).toBe("[connector_put_request] is_native doesn't support values of type: VALUE_STRING");
    expect(fail({ zzz: 1, is_native: 'yes' }).message).toBe('[connector_put_request] unknown field [zzz]');
    expect(fail({ index_nam: 'x' }).message).toBe('[connector_put_request] unknown field [index_nam] did you mean [index_name]?');
    expect(fail({ filtering: {} }).kind).toBe('wrong_type');
    expect(fail({ filtering: [1] }).message).toBe('[connector_put_request] failed to parse field [filtering]'); // the entry's own parser fails, wrapped as upstream's ObjectParser does
    expect(fail([]).message).toBe('[connector_put_request] Expected START_OBJECT but was: START_ARRAY');
  });

  it('pipeline: its own parser, its failure wrapped as upstream; unknown pipeline keys skipped', () => {
    const ok = { extract_binary_content: true, name: 'p', reduce_whitespace: false, run_ml_inference: false };
    expect(decodeConnectorDocument('c', { pipeline: { ...ok, extra: 1 } }, { strict: true }).pipeline).toEqual({
      extractBinaryContent: true,
      name: 'p',
      reduceWhitespace: false,
      runMlInference: false,
    });
    const wrong = fail({ pipeline: { ...ok, name: 5 } });
    expect(wrong).toMatchObject({ kind: 'failed_to_parse_field', field: 'pipeline', message: '[connector_put_request] failed to parse field [pipeline]' });
    expect((wrong.cause as Error).message).toBe("[pipeline] name doesn't support values of type: VALUE_NUMBER");
  });

  it('lenient decoding of stored documents: unknown fields and odd types are ignored', () => {
    expect(decodeConnectorDocument('c', { status: 'connected', is_native: 'yes', index_name: 1 })).toMatchObject({ indexName: null, isNative: false });
  });
});
