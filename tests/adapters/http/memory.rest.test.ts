import { createContainer } from '../../../src/index.js';
import { memoryModule } from '../../../adapters/memory/index.js';
import { describeRestCases } from './rest-cases.js';

describeRestCases('memory', () => createContainer(memoryModule()));
