/** Shared fast-check arbitraries: connectors, create requests (valid and invalid) and jobs. */
import fc from 'fast-check';
import { Instant, JOB_TYPES, TRIGGER_METHODS, newSyncJob } from '../internal.js';
import type {
  SyncJob,
  ConnectorRecord,
  FilteringConfig,
  FilteringRules,
  IngestPipeline,
  InvalidRequestKind,
  JobType,
  JsonObject,
  TriggerMethod,
} from '../internal.js';

const text = fc.string({ maxLength: 12 });
const nonEmpty = fc.string({ minLength: 1, maxLength: 16 });
const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** JSON objects of up to 6 keys, values nested up to 3 deep (configuration values are kept exactly as they are). */
export const jsonObjectArb: fc.Arbitrary<JsonObject> = fc.dictionary(
  fc.string({ maxLength: 10 }),
  fc.jsonValue({ maxDepth: 3 }),
  { maxKeys: 6 },
) as fc.Arbitrary<JsonObject>;

/** An ingest pipeline (`pipeline` of a connector): any booleans, a non-empty name of up to 16 characters. */
export const pipelineArb: fc.Arbitrary<IngestPipeline> = fc.record({
  extractBinaryContent: fc.boolean(),
  name: nonEmpty,
  reduceWhitespace: fc.boolean(),
  runMlInference: fc.boolean(),
});

/** One side (`active` or `draft`) of a connector's filtering: rules, advanced snippet and validation. */
export const filteringRulesArb: fc.Arbitrary<FilteringRules> = fc.record({
  advancedSnippet: fc.option(
    fc.record({ createdAt: fc.option(isoDate), updatedAt: fc.option(isoDate), value: fc.jsonValue({ maxDepth: 2 }) }),
  ),
  rules: fc.array(
    fc.record({
      createdAt: fc.option(isoDate),
      field: fc.option(text),
      id: fc.option(nonEmpty),
      order: fc.option(fc.integer({ min: 0, max: 100 })),
      policy: fc.option(fc.constantFrom('include', 'exclude')),
      rule: fc.option(fc.constantFrom('regex', 'equals', 'contains', '>', '<')),
      updatedAt: fc.option(isoDate),
      value: fc.option(text),
    }),
    { maxLength: 3 },
  ),
  validation: fc.option(
    fc.record({
      errors: fc.array(fc.record({ ids: fc.array(text, { maxLength: 2 }), messages: fc.array(text, { maxLength: 2 }) }), {
        maxLength: 2,
      }),
      state: fc.option(fc.constantFrom('valid', 'invalid', 'edited')),
    }),
  ),
}) as fc.Arbitrary<FilteringRules>;

/** A connector's `filtering`: up to 3 entries, each with active and (maybe) draft rules. */
export const filteringArb: fc.Arbitrary<FilteringConfig[]> = fc.array(
  fc.record({
    domain: fc.option(fc.constantFrom('DEFAULT', 'TEST', 'other')),
    active: fc.option(filteringRulesArb),
    draft: fc.option(filteringRulesArb),
  }),
  { maxLength: 3 },
);

/** A connector id: any string of 1 to 24 UTF-16 code units (ids are opaque). */
export const connectorIdArb = fc.string({ minLength: 1, maxLength: 24 });

/** What JSON.parse would give for a value (plain prototypes, no -0): connectors come from JSON. */
const viaJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Any connector, syncable or not (null or empty index and service type, soft-deleted). */
export const connectorArb: fc.Arbitrary<ConnectorRecord> = fc.record({
  id: connectorIdArb,
  indexName: fc.oneof(fc.constant(null), fc.constant(''), nonEmpty),
  serviceType: fc.oneof(fc.constant(null), fc.constant(''), nonEmpty),
  language: fc.option(text),
  pipeline: fc.option(pipelineArb),
  configuration: fc.option(jsonObjectArb),
  filtering: fc.option(filteringArb),
  deleted: fc.boolean(),
}).map(viaJson);

/** A connector the create use case accepts. */
export const syncableConnectorArb: fc.Arbitrary<ConnectorRecord> = connectorArb.chain((c) =>
  fc.record({ indexName: nonEmpty, serviceType: nonEmpty }).map((p) => ({ ...c, ...p, deleted: false })),
);

/** A value in a random letter case (enums parse case-insensitively). */
export function anyCase(value: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: value.length, maxLength: value.length })
    .map((ups) => [...value].map((ch, i) => (ups[i] ? ch.toUpperCase() : ch)).join(''));
}

/** A valid create body and the job type and trigger method it means once parsed (defaults applied). */
export interface ValidRequest {
  body: JsonObject;
  jobType: JobType;
  triggerMethod: TriggerMethod;
}

/** A valid body for `connectorId`, enums in any case or left to their defaults; keys in any order. */
export function validRequestArb(connectorId: string): fc.Arbitrary<ValidRequest> {
  return fc
    .record({
      jobType: fc.option(fc.constantFrom(...JOB_TYPES), { nil: undefined }),
      triggerMethod: fc.option(fc.constantFrom(...TRIGGER_METHODS), { nil: undefined }),
      reverse: fc.boolean(),
    })
    .chain(({ jobType, triggerMethod, reverse }) =>
      fc
        .record({
          jt: jobType ? anyCase(jobType) : fc.constant(undefined),
          tm: triggerMethod ? anyCase(triggerMethod) : fc.constant(undefined),
        })
        .map(({ jt, tm }) => {
          const entries: [string, string][] = [['id', connectorId]];
          if (jt !== undefined) entries.push(['job_type', jt]);
          if (tm !== undefined) entries.push(['trigger_method', tm]);
          if (reverse) entries.reverse();
          return {
            body: Object.fromEntries(entries),
            jobType: jobType ?? 'full',
            triggerMethod: triggerMethod ?? 'on_demand',
          };
        }),
    );
}

const FIELDS = ['id', 'job_type', 'trigger_method'];
const nonString = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
);
const notAnEnum = (values: readonly string[]) =>
  fc.string({ maxLength: 16 }).filter((s) => !values.some((v) => v.toLowerCase() === s.toLowerCase()));

/** An invalid body and the kind of error upstream reports first for it. */
export interface InvalidRequest {
  body: unknown;
  kind: InvalidRequestKind;
}

/** An invalid create body, one per kind of error the parser reports (see {@link InvalidRequest}). */
export const invalidRequestArb: fc.Arbitrary<InvalidRequest> = fc.oneof(
  fc.constant<InvalidRequest>({ body: undefined, kind: 'missing_body' }),
  fc
    .oneof(fc.constant(null), fc.boolean(), fc.double({ noNaN: true }), fc.string(), fc.array(fc.jsonValue({ maxDepth: 1 })))
    .map((body): InvalidRequest => ({ body, kind: 'not_an_object' })),
  fc
    .record({ key: fc.string({ maxLength: 10 }).filter((k) => !FIELDS.includes(k)), value: fc.jsonValue({ maxDepth: 1 }) })
    .map(({ key, value }): InvalidRequest => ({ body: { [key]: value, id: 'c' }, kind: 'unknown_field' })),
  fc
    .record({ field: fc.constantFrom(...FIELDS), value: nonString })
    .map(({ field, value }): InvalidRequest => ({ body: { [field]: value }, kind: 'wrong_type' })),
  fc
    .record({ jt: fc.option(fc.constantFrom(...JOB_TYPES), { nil: undefined }) })
    .map(({ jt }): InvalidRequest => ({ body: jt ? { job_type: jt } : {}, kind: 'missing_field' })),
  fc
    .record({ id: fc.string({ maxLength: 8 }), jt: notAnEnum(JOB_TYPES), withTm: fc.boolean() })
    .map(({ id, jt, withTm }): InvalidRequest => ({
      body: withTm ? { id, job_type: jt, trigger_method: 'scheduled' } : { id, job_type: jt },
      kind: withTm ? 'failed_to_parse_field' : 'failed_to_build',
    })),
  fc
    .record({ id: fc.string({ maxLength: 8 }), tm: notAnEnum(TRIGGER_METHODS) })
    .map(({ id, tm }): InvalidRequest => ({ body: { id, trigger_method: tm }, kind: 'failed_to_build' })),
  fc.constant<InvalidRequest>({ body: { id: '' }, kind: 'validation' }),
);

/**
 * A new job as the create use case makes it (status pending, counters 0): a syncable
 * connector's snapshot, any job type and trigger method, an id of 20 URL-safe characters, created
 * at a millisecond instant between 2000 and 2100. Built with the domain's `newSyncJob`.
 */
export const syncJobArb: fc.Arbitrary<SyncJob> = fc
  .record({
    id: fc.stringMatching(/^[A-Za-z0-9_-]{20}$/),
    connector: syncableConnectorArb,
    jobType: fc.constantFrom(...JOB_TYPES),
    triggerMethod: fc.constantFrom(...TRIGGER_METHODS),
    at: isoDate,
  })
  .map(({ id, connector, jobType, triggerMethod, at }) =>
    newSyncJob(id, { connectorId: connector.id, jobType, triggerMethod }, connector, Instant.parse(at)!),
  );
