/** Figure 5: heap bytes per stored job in the memory adapter, at 100,000 jobs, vs plain objects in a Map. */
import { MemoryConnectorStore, MemorySyncJobStore } from '../adapters/memory/index.js';
import { CreateSyncJob, ElasticsearchIdGenerator, SystemClock } from '../src/index.js';
import { benchConnector } from './core.js';
import type { Pair } from './harness.js';

const N = 100_000;

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with node --expose-gc (npm run bench does)');
  g();
  g();
}

async function heapPerJob(fill: () => Promise<unknown>): Promise<number> {
  gc();
  const before = process.memoryUsage().heapUsed;
  const keep = await fill();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (keep === undefined) throw new Error('unreachable');
  return (after - before) / N;
}

export async function memoryFigures(rounds: number): Promise<Pair[]> {
  const connector = benchConnector('bench', 20);
  const subjects: number[] = [];
  const baselines: number[] = [];
  for (let r = 0; r < Math.max(1, Math.min(rounds, 3)); r++) {
    baselines.push(
      await heapPerJob(async () => {
        const ids = new ElasticsearchIdGenerator();
        const map = new Map<string, unknown>();
        for (let i = 0; i < N; i++) {
          const now = new Date();
          const id = ids.next();
          map.set(id, {
            id, cancelationRequestedAt: null, canceledAt: null, completedAt: null,
            connector: { id: connector.id, indexName: connector.indexName, language: connector.language, pipeline: connector.pipeline, serviceType: connector.serviceType, configuration: connector.configuration },
            createdAt: now, deletedDocumentCount: 0, error: null, indexedDocumentCount: 0, indexedDocumentVolume: 0,
            jobType: 'full', lastSeen: now, metadata: {}, startedAt: null, status: 'pending', totalDocumentCount: 0,
            triggerMethod: 'on_demand', workerHostname: null,
          });
        }
        return map;
      }),
    );
    subjects.push(
      await heapPerJob(async () => {
        const connectors = new MemoryConnectorStore();
        await connectors.upsert(connector);
        const jobs = new MemorySyncJobStore(connectors);
        const create = new CreateSyncJob(connectors, jobs, new SystemClock(), new ElasticsearchIdGenerator());
        for (let i = 0; i < N; i++) await create.execute({ id: 'bench' });
        return jobs;
      }),
    );
  }
  const ratios = subjects.map((s, i) => s / (baselines[i] as number));
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] as number;
  return [
    {
      name: 'memory adapter, heap per stored job (100,000 jobs, 20-field configuration)',
      unit: 'bytes/job',
      subject: med(subjects),
      baseline: med(baselines),
      ratio: { median: med(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
      higherIsBetter: false,
    },
  ];
}
