/**
 * Runs every ```ts block of README.md (tests/doc-examples.ts says how: ```ts env=NAME blocks
 * need that variable, `// text` comments are checked, ```ts suite blocks register vitest suites).
 * The curl walkthrough (```sh walkthrough) runs in tests/walkthrough.test.ts.
 */
import { describeTsExamples } from './doc-examples.js';

// README keeps a library example and the contract kit's example (the package test runs both
// from the installed package, too)
await describeTsExamples('README', new URL('../README.md', import.meta.url), { minBlocks: 2, minSuites: 1 });
