import { ElasticsearchConnectorStore, ElasticsearchSyncJobQueue, ElasticsearchSyncJobStore } from '../../../adapters/elasticsearch/index.js';
import { describeStoreContract } from 'connector-sync-jobs/testing';
import { MockCluster } from './mock-cluster.js';

const indices = {
  connectors: '.elastic-connectors',
  syncJobs: '.elastic-connectors-sync-jobs',
};

describeStoreContract('elasticsearch (elasticsearch-mock)', async () => {
  const cluster = new MockCluster();
  const client = cluster.client();
  const connectors = new ElasticsearchConnectorStore(client, { indices });
  const jobs = new ElasticsearchSyncJobStore(client, { indices });
  await jobs.ensureIndices();
  return {
    connectors,
    jobs,
    countJobs: async () => cluster.docs(indices.syncJobs).size,
    // Elasticsearch has no multi-document transactions: the job write cannot be made atomic with
    // a check of the connector document, so the no-orphan rule is not enforced (ARCHITECTURE.md).
    refusesOrphans: false,
    queue: new ElasticsearchSyncJobQueue(client, connectors, { indices }),
  };
});
