/** Figure 1: the core on memory storage vs the least work a create needs. */
import { MemoryConnectorStore, MemorySyncJobStore } from '../adapters/memory/index.js';
import { CreateSyncJob, ElasticsearchIdGenerator, SystemClock } from '../src/index.js';
import type { ConnectorRecord, JsonObject } from '../src/index.js';
import { pair, throughput, type Pair } from './harness.js';

export function configurationOf(fields: number): JsonObject {
  const c: JsonObject = {};
  for (let i = 0; i < fields; i++) {
    c[`field_${i}`] = {
      default_value: null,
      depends_on: [],
      display: 'textbox',
      label: `Field ${i}`,
      options: [],
      order: i,
      required: true,
      sensitive: false,
      tooltip: null,
      type: 'str',
      ui_restrictions: [],
      validations: [],
      value: `value-${i}`,
    };
  }
  return c;
}

export function benchConnector(id: string, fields: number): ConnectorRecord {
  return {
    id,
    indexName: `search-${id}`,
    serviceType: 'google_drive',
    language: 'en',
    pipeline: { extractBinaryContent: true, name: 'search-default-ingestion', reduceWhitespace: true, runMlInference: false },
    configuration: configurationOf(fields),
    filtering: null,
    deleted: false,
  };
}

export async function coreFigures(rounds: number, ms: number): Promise<Pair[]> {
  const out: Pair[] = [];
  for (const [label, fields] of [
    ['small configuration (5 fields)', 5],
    ['large configuration (300 fields)', 300],
  ] as const) {
    const connector = benchConnector('bench', fields);
    const connectors = new MemoryConnectorStore();
    await connectors.upsert(connector);
    const make = () => {
      const jobs = new MemorySyncJobStore(connectors);
      return { jobs, create: new CreateSyncJob(connectors, jobs, new SystemClock(), new ElasticsearchIdGenerator()) };
    };
    const body = { id: 'bench', job_type: 'full', trigger_method: 'on_demand' };

    // The floor: build the same plain object, make an id, put it in a Map.
    const floorIds = new ElasticsearchIdGenerator();
    const floor = async () => {
      const map = new Map<string, unknown>();
      return throughput(() => {
        const now = new Date();
        const id = floorIds.next();
        map.set(id, {
          id,
          cancelationRequestedAt: null,
          canceledAt: null,
          completedAt: null,
          connector: {
            id: connector.id,
            indexName: connector.indexName,
            language: connector.language,
            pipeline: connector.pipeline,
            serviceType: connector.serviceType,
            configuration: connector.configuration,
          },
          createdAt: now,
          deletedDocumentCount: 0,
          error: null,
          indexedDocumentCount: 0,
          indexedDocumentVolume: 0,
          jobType: 'full',
          lastSeen: now,
          metadata: {},
          startedAt: null,
          status: 'pending',
          totalDocumentCount: 0,
          triggerMethod: 'on_demand',
          workerHostname: null,
        });
      }, ms);
    };
    const subject = async () => {
      const { create } = make();
      return throughput(() => create.execute(body), ms);
    };
    const r = await pair(rounds, floor, subject);
    out.push({ name: `core, memory storage, ${label}`, unit: 'creates/s', ...r, target: 0.5, higherIsBetter: true });
  }
  return out;
}
