import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  InvalidRequestError,
  parseClaimSyncJobRequest,
  parseDateOptionalTime,
  parseErrorSyncJobRequest,
  parseListSyncJobsParams,
  parseUpdateSyncJobStatsRequest,
  strictBodyParser,
  validateSyncJobId,
} from '../../src/internal.js';

function fail(run: () => unknown): InvalidRequestError {
  try {
    run();
  } catch (e) {
    if (e instanceof InvalidRequestError) return e;
    throw e;
  }
  throw new Error('expected InvalidRequestError');
}

const ID_EMPTY = '[connector_sync_job_id] of the connector sync job cannot be null or empty.';

describe('the strict body parser', () => {
  const parser = strictBodyParser('demo', {
    a: { type: 'string', required: true },
    b: { type: 'long', required: true },
    c: { type: 'object' },
  });

  it('names every missing required field at once, in declaration order', () => {
    expect(fail(() => parser.parse({}))).toMatchObject({ kind: 'missing_field', message: 'Required [a, b]', field: 'a' });
    expect(fail(() => parser.parse({ b: 1 })).message).toBe('Required [a]');
  });

  it('reports the first bad field in body order', () => {
    expect(fail(() => parser.parse({ zz: 1, a: 1 })).message).toBe('[demo] unknown field [zz]');
    expect(fail(() => parser.parse({ a: 1, zz: 1 })).message).toBe("[demo] a doesn't support values of type: VALUE_NUMBER");
    expect(fail(() => parser.parse({ a: 'x', b: true })).message).toBe("[demo] b doesn't support values of type: VALUE_BOOLEAN");
    expect(fail(() => parser.parse({ a: 'x', b: 1, c: [] })).message).toBe("[demo] c doesn't support values of type: START_ARRAY");
    expect(fail(() => parser.parse({ a: 'x', b: 1, c: null })).message).toBe("[demo] c doesn't support values of type: VALUE_NULL");
  });

  it('no body, not an object', () => {
    expect(fail(() => parser.parse(undefined))).toMatchObject({ kind: 'missing_body', message: 'request body is required' });
    expect(fail(() => parser.parse(7)).message).toBe('[demo] Expected START_OBJECT but was: VALUE_NUMBER');
  });
});

describe('claim (claim_connector_sync_job)', () => {
  it('worker_hostname required, sync_cursor optional object', () => {
    expect(parseClaimSyncJobRequest('j', { worker_hostname: 'h' })).toEqual({ workerHostname: 'h' });
    expect(parseClaimSyncJobRequest('j', { worker_hostname: 'h', sync_cursor: { c: 1 } })).toEqual({ workerHostname: 'h', syncCursor: { c: 1 } });
    expect(fail(() => parseClaimSyncJobRequest('j', { sync_cursor: {} }))).toMatchObject({ kind: 'missing_field', message: 'Required [worker_hostname]' });
    expect(fail(() => parseClaimSyncJobRequest('j', { worker_hostname: null })).message).toBe(
      "[claim_connector_sync_job] worker_hostname doesn't support values of type: VALUE_NULL",
    );
    expect(fail(() => parseClaimSyncJobRequest('j', { worker_hostname: 'h', sync_cursor: 'x' })).kind).toBe('wrong_type');
    expect(fail(() => parseClaimSyncJobRequest('j', { worker_hostnam: 'h' })).message).toBe(
      '[claim_connector_sync_job] unknown field [worker_hostnam] did you mean [worker_hostname]?',
    );
    expect(fail(() => parseClaimSyncJobRequest('j', undefined)).kind).toBe('missing_body');
  });

  it('parse errors come before the empty-id validation', () => {
    expect(fail(() => parseClaimSyncJobRequest('', { x: 1 })).kind).toBe('unknown_field');
    expect(fail(() => parseClaimSyncJobRequest('', { worker_hostname: 'h' }))).toMatchObject({
      kind: 'validation',
      message: `Validation Failed: 1: ${ID_EMPTY};`,
    });
  });
});

describe('error (connector_sync_job_error_request)', () => {
  it('error required and non-empty; both validation messages at once', () => {
    expect(parseErrorSyncJobRequest('j', { error: 'boom' })).toEqual({ error: 'boom' });
    expect(fail(() => parseErrorSyncJobRequest('j', {})).message).toBe('Required [error]');
    expect(fail(() => parseErrorSyncJobRequest('j', { error: '' }))).toMatchObject({
      kind: 'validation',
      field: 'error',
      message: 'Validation Failed: 1: [error] of the connector sync job cannot be null or empty;',
    });
    expect(fail(() => parseErrorSyncJobRequest('', { error: '' })).message).toBe(
      `Validation Failed: 1: ${ID_EMPTY};2: [error] of the connector sync job cannot be null or empty;`,
    );
    expect(fail(() => parseErrorSyncJobRequest('j', { eror: 'x' })).message).toBe(
      '[connector_sync_job_error_request] unknown field [eror] did you mean [error]?',
    );
  });
});

describe('stats (connector_sync_job_update_ingestion_stats)', () => {
  const base = { deleted_document_count: 1, indexed_document_count: 2, indexed_document_volume: 3 };

  it('the three counters are required; the optional fields are passed on', () => {
    expect(parseUpdateSyncJobStatsRequest('j', base)).toEqual({ deletedDocumentCount: 1, indexedDocumentCount: 2, indexedDocumentVolume: 3 });
    expect(fail(() => parseUpdateSyncJobStatsRequest('j', {})).message).toBe(
      'Required [deleted_document_count, indexed_document_count, indexed_document_volume]',
    );
    const full = parseUpdateSyncJobStatsRequest('j', {
      ...base,
      total_document_count: 4,
      last_seen: '2023-12-04T08:45:50.567149Z',
      metadata: { a: { b: 1 } },
    });
    expect(full).toMatchObject({ totalDocumentCount: 4, metadata: { a: { b: 1 } } });
    expect(full.lastSeen!.toString()).toBe('2023-12-04T08:45:50.567149Z');
  });

  it('every negative counter is named in one validation reason, after the empty id', () => {
    const e = fail(() =>
      parseUpdateSyncJobStatsRequest('', {
        deleted_document_count: -1,
        indexed_document_count: -2,
        indexed_document_volume: -3,
        total_document_count: -4,
      }),
    );
    expect(e).toMatchObject({ kind: 'validation', field: 'connector_sync_job_id' });
    expect(e.message).toBe(
      `Validation Failed: 1: ${ID_EMPTY};2: [deleted_document_count] cannot be negative.;3: [indexed_document_count] cannot be negative.;4: [indexed_document_volume] cannot be negative.;5: [total_document_count] cannot be negative.;`,
    );
    expect(fail(() => parseUpdateSyncJobStatsRequest('j', { ...base, indexed_document_volume: -1 })).message).toBe(
      'Validation Failed: 1: [indexed_document_volume] cannot be negative.;',
    );
  });

  it('64-bit counters: 3,000,000,000 passes; numeric strings and fractions coerce as Jackson; beyond long fails to parse', () => {
    expect(parseUpdateSyncJobStatsRequest('j', { ...base, deleted_document_count: 3_000_000_000 }).deletedDocumentCount).toBe(3_000_000_000);
    expect(parseUpdateSyncJobStatsRequest('j', { ...base, deleted_document_count: '3000000000' }).deletedDocumentCount).toBe(3_000_000_000);
    expect(parseUpdateSyncJobStatsRequest('j', { ...base, deleted_document_count: 1.9 }).deletedDocumentCount).toBe(1);
    expect(parseUpdateSyncJobStatsRequest('j', { ...base, deleted_document_count: -0.5 }).deletedDocumentCount).toBe(0);
    expect(parseUpdateSyncJobStatsRequest('j', { ...base, deleted_document_count: '2.5' }).deletedDocumentCount).toBe(2);
    const big = fail(() => parseUpdateSyncJobStatsRequest('j', { ...base, deleted_document_count: 1e19 }));
    expect(big).toMatchObject({
      kind: 'failed_to_parse_field',
      field: 'deleted_document_count',
      message: '[connector_sync_job_update_ingestion_stats] failed to parse field [deleted_document_count]',
    });
    expect((big.cause as InvalidRequestError).message).toContain('out of range of long');
    const bigText = fail(() => parseUpdateSyncJobStatsRequest('j', { ...base, indexed_document_count: '9223372036854775808' }));
    expect((bigText.cause as InvalidRequestError).message).toBe('Value [9223372036854775808] is out of range for a long');
    expect(parseUpdateSyncJobStatsRequest('j', { ...base, indexed_document_count: '9223372036854775807' }).indexedDocumentCount).toBe(9223372036854774784);
    const word = fail(() => parseUpdateSyncJobStatsRequest('j', { ...base, indexed_document_count: 'ten' }));
    expect((word.cause as InvalidRequestError).message).toBe('For input string: "ten"');
    expect(fail(() => parseUpdateSyncJobStatsRequest('j', { ...base, indexed_document_count: null })).kind).toBe('wrong_type');
  });

  it('last_seen: strict_date_optional_time||epoch_millis; objects and bad dates fail to parse the field', () => {
    const at = (v: unknown) => parseUpdateSyncJobStatsRequest('j', { ...base, last_seen: v }).lastSeen!.toString();
    expect(at('2023-12-04T08:45:50.567149Z')).toBe('2023-12-04T08:45:50.567149Z');
    expect(at('2023-12-04T10:45:50.5+02:00')).toBe('2023-12-04T08:45:50.500Z');
    expect(at('2023-12-04')).toBe('2023-12-04T00:00:00.000Z');
    expect(at('2023-12-04T08:45')).toBe('2023-12-04T08:45:00.000Z');
    expect(at(1701679550567)).toBe('2023-12-04T08:45:50.567Z');
    expect(at('1701679550567')).toBe('2023-12-04T08:45:50.567Z');
    const bad = fail(() => parseUpdateSyncJobStatsRequest('j', { ...base, last_seen: 'yesterday' }));
    expect(bad).toMatchObject({
      kind: 'failed_to_parse_field',
      message: '[connector_sync_job_update_ingestion_stats] failed to parse field [last_seen]',
    });
    expect((bad.cause as InvalidRequestError).message).toBe(
      'failed to parse date field [yesterday] with format [strict_date_optional_time||epoch_millis]',
    );
    expect((fail(() => parseUpdateSyncJobStatsRequest('j', { ...base, last_seen: {} })).cause as Error).message).toBe(
      'unexpected token [START_OBJECT] for [last_seen]',
    );
    expect(fail(() => parseUpdateSyncJobStatsRequest('j', { ...base, last_seen: true })).kind).toBe('wrong_type');
    expect(parseDateOptionalTime('2023-02-30')).toBeNull();
  });

  it('metadata must be an object (upstream REST cases: a string or a number is 400)', () => {
    expect(fail(() => parseUpdateSyncJobStatsRequest('j', { ...base, metadata: 'abc' })).kind).toBe('wrong_type');
    expect(fail(() => parseUpdateSyncJobStatsRequest('j', { ...base, metadata: 123 })).kind).toBe('wrong_type');
  });

  test.prop([fc.tuple(fc.maxSafeNat(), fc.maxSafeNat(), fc.maxSafeNat())])('any safe counter round-trips exactly', ([a, b, c]) => {
    expect(parseUpdateSyncJobStatsRequest('j', { deleted_document_count: a, indexed_document_count: b, indexed_document_volume: c })).toEqual({
      deletedDocumentCount: a,
      indexedDocumentCount: b,
      indexedDocumentVolume: c,
    });
  });

  test.prop([fc.jsonValue()])('any JSON body: a command or an InvalidRequestError, nothing else', (body) => {
    for (const parse of [parseUpdateSyncJobStatsRequest, parseClaimSyncJobRequest, parseErrorSyncJobRequest]) {
      try {
        parse('j', body);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRequestError);
      }
    }
  });
});

describe('list parameters (RestListConnectorSyncJobsAction, PageParams)', () => {
  it('defaults and values', () => {
    expect(parseListSyncJobsParams({})).toEqual({ from: 0, size: 100 });
    expect(parseListSyncJobsParams({ from: '5', size: '7', connector_id: 'c', status: 'In_Progress', job_type: 'FULL,access_control' })).toEqual({
      from: 5,
      size: 7,
      connectorId: 'c',
      status: 'in_progress',
      jobTypes: ['full', 'access_control'],
    });
    expect(parseListSyncJobsParams({ job_type: '' }).jobTypes).toEqual([]);
    expect(parseListSyncJobsParams({ job_type: 'full,' }).jobTypes).toEqual(['full']);
  });

  it("upstream's messages, in upstream's order", () => {
    const msg = (p: Record<string, string>) => fail(() => parseListSyncJobsParams(p)).message;
    expect(msg({ from: '-1' })).toBe('Parameter [from] cannot be < 0');
    expect(msg({ size: '-1' })).toBe('Parameter [size] cannot be < 0');
    expect(msg({ from: '-1', size: '-1' })).toBe('Parameter [from] cannot be < 0');
    expect(msg({ from: 'x' })).toBe('Failed to parse int parameter [from] with value [x]');
    expect(msg({ size: '2147483648' })).toBe('Failed to parse int parameter [size] with value [2147483648]');
    expect(msg({ status: 'running' })).toBe('Unknown ConnectorSyncStatus [running].');
    expect(msg({ status: 'pending,canceled' })).toBe('Unknown ConnectorSyncStatus [pending,canceled].');
    expect(msg({ job_type: 'full,nightly' })).toBe('Unknown ConnectorSyncJobType [nightly].');
    expect(msg({ job_type: ',full' })).toBe('Unknown ConnectorSyncJobType [].');
    // enums are read before the page is checked
    expect(msg({ from: '-1', status: 'nope' })).toBe('Unknown ConnectorSyncStatus [nope].');
    expect(msg({ from: '9000', size: '1001' })).toBe('The sum of parameters [from] and [size] cannot be higher than 10000.');
    expect(fail(() => parseListSyncJobsParams({ from: '-1' })).kind).toBe('illegal_value');
  });
});

describe('the job id', () => {
  it('empty is a validation failure; anything else passes', () => {
    expect(fail(() => validateSyncJobId(''))).toMatchObject({ kind: 'validation', message: `Validation Failed: 1: ${ID_EMPTY};` });
    expect(() => validateSyncJobId(' ')).not.toThrow();
  });
});
