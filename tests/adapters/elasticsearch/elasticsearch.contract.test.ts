import { ElasticsearchSyncJobQueue } from '../../../adapters/elasticsearch/index.js';
import { describeStoreContract } from 'connector-sync-jobs/testing';
import { mockStores } from './mock-cluster.js';

describeStoreContract('elasticsearch (elasticsearch-mock)', async () => {
  const { cluster, client, connectors, jobs } = await mockStores();
  return {
    connectors,
    jobs,
    countJobs: async () => cluster.docs('.elastic-connectors-sync-jobs').size,
    // Elasticsearch has no multi-document transactions: the job write cannot be made atomic with
    // a check of the connector document, so the no-orphan rule is not enforced (ARCHITECTURE.md).
    refusesOrphans: false,
    queue: new ElasticsearchSyncJobQueue(client, connectors),
  };
});
