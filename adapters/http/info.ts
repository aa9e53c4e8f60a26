/**
 * The info answer of `GET /` (upstream's RestMainAction): what clients read to check they talk
 * to Elasticsearch, and which version.
 */
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';

/**
 * The package's name and version (`GET /`), read through the package's own `./package.json`
 * export: the same file from the sources, the build and the installed package.
 */
const PACKAGE = createRequire(import.meta.url)('connector-sync-jobs/package.json') as { name: string; version: string };

/**
 * The Elasticsearch version this server answers as. 9.x: both official clients (8 and 9) accept
 * it (they check the `X-Elastic-Product` header, not the number), and an 8.x client's
 * `compatible-with=8` is what a 9.x cluster accepts.
 */
export const ELASTICSEARCH_VERSION = {
  number: '9.1.0',
  build_flavor: 'default',
  build_type: 'tar',
  lucene_version: '10.2.2',
  minimum_wire_compatibility_version: '8.19.0',
  minimum_index_compatibility_version: '8.0.0',
} as const;

/** Options of {@link infoAnswer}. */
export interface InfoOptions {
  /** The node name (default: the host's name is not used; `connector-sync-jobs`). */
  name?: string;
  /** The cluster name (default `connector-sync-jobs`). */
  clusterName?: string;
}

/**
 * `GET /`: Elasticsearch's info shape (RestMainAction): name, cluster_name, cluster_uuid,
 * version {number, build_flavor, build_type, build_hash, build_date, build_snapshot,
 * lucene_version, minimum_wire_compatibility_version, minimum_index_compatibility_version},
 * tagline. `build_hash` and `cluster_uuid` are derived from this package's name and version.
 */
export function infoAnswer(options: InfoOptions = {}): Record<string, unknown> {
  const hash = createHash('sha1').update(`${PACKAGE.name}@${PACKAGE.version}`).digest('hex');
  const uuid = Buffer.from(hash.slice(0, 32), 'hex').toString('base64url').slice(0, 22);
  return {
    name: options.name ?? PACKAGE.name,
    cluster_name: options.clusterName ?? PACKAGE.name,
    cluster_uuid: uuid,
    version: {
      number: ELASTICSEARCH_VERSION.number,
      build_flavor: ELASTICSEARCH_VERSION.build_flavor,
      build_type: ELASTICSEARCH_VERSION.build_type,
      build_hash: hash,
      build_date: '2025-07-01T00:00:00.000Z',
      build_snapshot: false,
      lucene_version: ELASTICSEARCH_VERSION.lucene_version,
      minimum_wire_compatibility_version: ELASTICSEARCH_VERSION.minimum_wire_compatibility_version,
      minimum_index_compatibility_version: ELASTICSEARCH_VERSION.minimum_index_compatibility_version,
    },
    tagline: 'You Know, for Search',
  };
}
