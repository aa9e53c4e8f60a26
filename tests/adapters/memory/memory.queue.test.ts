import { MemoryConnectorStore, MemorySyncJobQueue, MemorySyncJobStore } from '../../../adapters/memory/index.js';
import { describeQueueContract } from 'connector-sync-jobs/testing';

describeQueueContract('memory', async () => {
  const connectors = new MemoryConnectorStore();
  const jobs = new MemorySyncJobStore(connectors);
  return {
    connectors,
    jobs,
    queue: new MemorySyncJobQueue(jobs, connectors),
    // a hard delete straight in the store's map: the connector goes, its jobs stay (orphans)
    removeConnector: async (id) => {
      (connectors as unknown as { connectors: Map<string, unknown> }).connectors.delete(id);
    },
  };
});
