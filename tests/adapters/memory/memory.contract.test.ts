import { MemoryConnectorStore, MemorySyncJobQueue, MemorySyncJobStore } from '../../../adapters/memory/index.js';
import { describeStoreContract } from 'connector-sync-jobs/testing';

describeStoreContract('memory', async () => {
  const connectors = new MemoryConnectorStore();
  const jobs = new MemorySyncJobStore(connectors);
  return { connectors, jobs, countJobs: async () => jobs.size, refusesOrphans: true, queue: new MemorySyncJobQueue(jobs, connectors) };
});
