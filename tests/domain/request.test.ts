import { describe, expect, it } from 'vitest';
import { InvalidRequestError, equalsIgnoreCase, parseCreateSyncJobRequest, suggestField } from '../../src/internal.js';

function fail(body: unknown): InvalidRequestError {
  try {
    parseCreateSyncJobRequest(body);
  } catch (e) {
    if (e instanceof InvalidRequestError) return e;
    throw e;
  }
  throw new Error('expected a parse failure');
}

describe('parseCreateSyncJobRequest (spec section 1, steps 1-5)', () => {
  it('applies the defaults', () => {
    expect(parseCreateSyncJobRequest({ id: 'c' })).toEqual({ connectorId: 'c', jobType: 'full', triggerMethod: 'on_demand' });
  });

  it('parses enums case-insensitively, Java style', () => {
    expect(parseCreateSyncJobRequest({ id: 'c', job_type: 'ACCESS_CONTROL', trigger_method: 'On_Demand' })).toEqual({
      connectorId: 'c',
      jobType: 'access_control',
      triggerMethod: 'on_demand',
    });
    // Java's equalsIgnoreCase folds the long s to S, as upstream accepts it
    expect(parseCreateSyncJobRequest({ id: 'c', trigger_method: '\u017Fcheduled' }).triggerMethod).toBe('scheduled');
    expect(equalsIgnoreCase('full', 'fulll')).toBe(false);
  });

  it('missing body, non-object bodies', () => {
    expect(fail(undefined)).toMatchObject({ kind: 'missing_body', message: 'request body is required' });
    expect(fail([])).toMatchObject({
      kind: 'not_an_object',
      message: '[connector_sync_job_post_request] Expected START_OBJECT but was: START_ARRAY',
    });
    expect(fail(null).message).toContain('VALUE_NULL');
    expect(fail('x').message).toContain('VALUE_STRING');
  });

  it('unknown fields, with upstream suggestions', () => {
    expect(fail({ id: 'c', foo: 1 })).toMatchObject({
      kind: 'unknown_field',
      field: 'foo',
      message: '[connector_sync_job_post_request] unknown field [foo]',
    });
    expect(fail({ id: 'c', jobtype: 'full' }).message).toBe(
      '[connector_sync_job_post_request] unknown field [jobtype] did you mean [job_type]?',
    );
  });

  it('wrong JSON types', () => {
    expect(fail({ id: 42 })).toMatchObject({
      kind: 'wrong_type',
      message: "[connector_sync_job_post_request] id doesn't support values of type: VALUE_NUMBER",
    });
    expect(fail({ id: 'c', job_type: null }).message).toBe(
      "[connector_sync_job_post_request] job_type doesn't support values of type: VALUE_NULL",
    );
    expect(fail({ id: 'c', trigger_method: {} }).message).toContain('START_OBJECT');
    expect(fail({ id: 'c', trigger_method: [] }).message).toContain('START_ARRAY');
    expect(fail({ id: true }).message).toContain('VALUE_BOOLEAN');
  });

  it('missing id', () => {
    expect(fail({ job_type: 'full' })).toMatchObject({ kind: 'missing_field', message: 'Required [id]' });
  });

  it('unknown enum values sit in the cause chain, as upstream builds the request', () => {
    const e = fail({ id: 'c', job_type: 'nightly' });
    expect(e.kind).toBe('failed_to_build');
    expect(e.message).toBe('Failed to build [connector_sync_job_post_request] after last required field arrived');
    expect(e.cause).toMatchObject({ kind: 'illegal_value', message: 'Unknown ConnectorSyncJobType [nightly].' });

    const all = fail({ id: 'c', job_type: 'full', trigger_method: '' });
    expect(all).toMatchObject({
      kind: 'failed_to_parse_field',
      field: 'trigger_method',
      message: '[connector_sync_job_post_request] failed to parse field [trigger_method]',
    });
    expect((all.cause as InvalidRequestError).kind).toBe('failed_to_build');
    expect((all.cause as InvalidRequestError).cause).toMatchObject({
      message: 'Unknown ConnectorSyncJobTriggerMethod [].',
    });
  });

  it('empty id is a validation failure; whitespace is not empty', () => {
    expect(fail({ id: '' })).toMatchObject({
      kind: 'validation',
      message: 'Validation Failed: 1: [id] of the connector cannot be null or empty;',
    });
    expect(parseCreateSyncJobRequest({ id: ' ' }).connectorId).toBe(' ');
  });

  it('suggestField follows Lucene similarity > 0.5', () => {
    expect(suggestField('zzz', ['id', 'job_type'])).toBe('');
    expect(suggestField('trigger', ['id', 'job_type', 'trigger_method'])).toBe('');
    expect(suggestField('trigger_metod', ['id', 'job_type', 'trigger_method'])).toBe(' did you mean [trigger_method]?');
  });
});
