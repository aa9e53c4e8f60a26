import type { ConnectorRecord, ConnectorSyncInfo } from '../../../src/index.js';
import { CONNECTOR_FIELDS_BY_NAME } from '../columns/connector-columns.js';
import { placeholder } from '../columns/param-cast.js';
import type { SqlExecutor } from '../queryable.js';
import { statementName } from '../statement-name.js';
import type { NamedOptions } from '../statement-name.js';

/**
 * Writes a job's sync info over its connector (spec section 8), inside the caller's transaction
 * (the job's change is in the same one): `UPDATE connectors SET <the info's columns> WHERE id =
 * $1 AND NOT deleted`. A connector deleted meanwhile is left alone (no row). Only sync-info
 * columns are set, so the connector's `version` stays (migration 8): cached records stay valid.
 * Errors are the driver's: the caller translates them with its step.
 */
export async function writeConnectorSyncInfo(tx: SqlExecutor, named: NamedOptions, connectorId: string, info: ConnectorSyncInfo): Promise<void> {
  const record = info as unknown as ConnectorRecord;
  const columns = (Object.keys(info) as (keyof ConnectorRecord)[]).map((field) => CONNECTOR_FIELDS_BY_NAME[field]);
  if (columns.length === 0) return;
  const set = columns.map((c, i) => `${c.name} = ${placeholder(c, i + 2)}`).join(', ');
  const text = `UPDATE connectors SET ${set} WHERE id = $1 AND NOT deleted`;
  // a handful of shapes (a start, an end per job class and status): named by text
  await tx.query(text, [connectorId, ...columns.map((c) => c.param(record, {}))], named(statementName('sync_info', text)));
}
