import { createContainer } from '../../../src/index.js';
import { elasticsearchModule } from '../../../adapters/elasticsearch/index.js';
import { MockCluster } from '../elasticsearch/mock-cluster.js';
import { describeRestCases } from './rest-cases.js';

// Upstream's REST cases over HTTP on the Elasticsearch adapter, at the transport level through
// the official @elastic/elasticsearch-mock (Map-backed resolvers that answer as Elasticsearch does).
describeRestCases('elasticsearch (elasticsearch-mock)', () =>
  createContainer(elasticsearchModule({ client: new MockCluster().client() })),
);
