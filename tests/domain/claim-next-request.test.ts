import { describe, expect, it } from 'vitest';
import { InvalidRequestError, parseClaimNextRequest } from '../../src/internal.js';

function fail(body: unknown): InvalidRequestError {
  try {
    parseClaimNextRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error('expected InvalidRequestError');
}

describe('claim-next body (this project\'s extension) on the strict-body parser, as every body of the API', () => {
  it('parses every field, job types in any case, a time value or milliseconds', () => {
    expect(
      parseClaimNextRequest({
        worker_hostname: 'w1',
        sync_cursor: { page: 2 },
        filters: { connector_ids: ['c1'], service_types: ['s'], job_types: ['FULL', 'access_control'] },
        wait_timeout: '2s',
      }),
    ).toEqual({
      workerHostname: 'w1',
      syncCursor: { page: 2 },
      filters: { connectorIds: ['c1'], serviceTypes: ['s'], jobTypes: ['full', 'access_control'] },
      waitMs: 2000,
    });
    expect(parseClaimNextRequest({ worker_hostname: 'w1', wait_timeout: 250 }).waitMs).toBe(250);
  });

  it('unknown fields, wrong types and missing fields answer as upstream\'s parsers', () => {
    expect(fail(undefined).kind).toBe('missing_body');
    expect(fail([]).message).toBe('[claim_next_connector_sync_job] Expected START_OBJECT but was: START_ARRAY');
    expect(fail({ worker_hostname: 'w', bogus: 1 }).message).toBe('[claim_next_connector_sync_job] unknown field [bogus]');
    expect(fail({ worker_hostnam: 'w' }).message).toBe(
      '[claim_next_connector_sync_job] unknown field [worker_hostnam] did you mean [worker_hostname]?',
    );
    expect(fail({}).message).toBe('Required [worker_hostname]');
    expect(fail({ worker_hostname: 5 }).message).toBe("[claim_next_connector_sync_job] worker_hostname doesn't support values of type: VALUE_NUMBER");
    expect(fail({ worker_hostname: 'w', wait_timeout: true }).kind).toBe('wrong_type');
    const nested = fail({ worker_hostname: 'w', filters: { connector_id: ['c1'] } });
    expect(nested.message).toBe('[claim_next_connector_sync_job] failed to parse field [filters]');
    expect((nested.cause as Error).message).toBe('[claim_next_filters] unknown field [connector_id] did you mean [connector_ids]?');
  });

  it('values it cannot take are validation errors', () => {
    expect(fail({ worker_hostname: ' ' }).message).toBe(
      'Validation Failed: 1: [worker_hostname] of the connector sync job cannot be null or empty.;',
    );
    expect(fail({ worker_hostname: 'w', filters: { job_types: ['nightly'] } }).kind).toBe('validation');
    expect(fail({ worker_hostname: 'w', filters: { connector_ids: [1] } }).kind).toBe('validation');
    expect(fail({ worker_hostname: 'w', wait_timeout: '61s' }).kind).toBe('validation');
    expect(fail({ worker_hostname: 'w', wait_timeout: 'soon' }).kind).toBe('validation');
  });
});
