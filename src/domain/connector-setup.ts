import type { ConnectorRecord, FilteringConfig, FilteringRules, IngestPipeline } from './connector.js';
import type { JsonObject } from './json.js';
import type { Instant } from './instant.js';

/**
 * What a connector setup call (`PUT _connector/<id>`) names: upstream's six fields
 * (`description`, `index_name`, `is_native`, `language`, `name`, `service_type`) and this
 * project's setup extensions (`pipeline`, `configuration`, `filtering`, `deleted`).
 * An absent field is `undefined` and gets upstream's default.
 */
export interface ConnectorSetup {
  description?: string | null;
  indexName?: string | null;
  isNative?: boolean | null;
  language?: string | null;
  name?: string | null;
  serviceType?: string | null;
  pipeline?: IngestPipeline | null;
  configuration?: JsonObject | null;
  filtering?: FilteringConfig[] | null;
  deleted?: boolean | null;
}

/** Upstream's ConnectorStatus of a new connector that is not native: `created`. */
export const CONNECTOR_STATUS_CREATED = 'created';
/** Upstream's ConnectorStatus of a new native connector: `needs_configuration`. */
export const CONNECTOR_STATUS_NEEDS_CONFIGURATION = 'needs_configuration';

/** The id, field, policy, rule and value of upstream's default filtering rule (`_` `regex` `.*`, include). */
export const DEFAULT_FILTERING_RULE_ID = 'DEFAULT';

/**
 * One filtering block as upstream's `ConnectorFiltering.getDefaultConnectorFilteringConfig`
 * builds it: the default `.*` include rule (order 0), an empty advanced snippet, validation
 * `valid` with no errors; every timestamp is `now` (ISO-8601 UTC with millis).
 */
export function defaultFilteringRules(now: Instant): FilteringRules {
  const at = now.toString();
  return {
    advancedSnippet: { createdAt: at, updatedAt: at, value: {} },
    rules: [
      {
        createdAt: at,
        field: '_',
        id: DEFAULT_FILTERING_RULE_ID,
        order: 0,
        policy: 'include',
        rule: 'regex',
        updatedAt: at,
        value: '.*',
      },
    ],
    validation: { errors: [], state: 'valid' },
  };
}

/** Upstream's default `filtering` of a new connector: one `DEFAULT` entry, active and draft both {@link defaultFilteringRules}. */
export function defaultFiltering(now: Instant): FilteringConfig[] {
  return [{ domain: 'DEFAULT', active: defaultFilteringRules(now), draft: defaultFilteringRules(now) }];
}

/**
 * The connector a setup call stores, with upstream's defaults for what it does not name
 * (`ConnectorIndexService.createConnectorWithDefaultValues`): `configuration` `{}`, the default
 * filtering, `is_native` false, `name` "", `status` `created` (`needs_configuration` for a native
 * connector), no pipeline, not deleted.
 *
 * A PUT on an existing connector does the same as upstream's (an index request with op_type
 * `index`): the whole connector is replaced, so a field the call does not name goes back to
 * its default. Nothing of the earlier connector is kept.
 */
export function connectorFromSetup(id: string, setup: ConnectorSetup, now: Instant): ConnectorRecord {
  const isNative = setup.isNative ?? false;
  return {
    id,
    indexName: setup.indexName ?? null,
    serviceType: setup.serviceType ?? null,
    language: setup.language ?? null,
    pipeline: setup.pipeline ?? null,
    configuration: setup.configuration ?? {},
    filtering: setup.filtering ?? defaultFiltering(now),
    deleted: setup.deleted ?? false,
    name: setup.name ?? '',
    isNative,
    description: setup.description ?? null,
    status: isNative ? CONNECTOR_STATUS_NEEDS_CONFIGURATION : CONNECTOR_STATUS_CREATED,
  };
}
