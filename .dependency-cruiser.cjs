/** The hexagon's dependency rules, checked in `npm test`. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain imports nothing outside itself: no node builtins, no packages, no other layer.',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'core-never-imports-adapters',
      severity: 'error',
      comment: 'The core (src) never reaches into an adapter.',
      from: { path: '^src/' },
      to: { path: '^adapters/' },
    },
    {
      name: 'application-only-domain-and-ports',
      severity: 'error',
      comment: 'Use cases see the domain and the ports, nothing else (no inversify, no drivers).',
      from: { path: '^src/application/' },
      to: { pathNot: '^src/(application|domain|ports)/' },
    },
    {
      name: 'ports-only-domain',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { pathNot: '^src/(ports|domain)/' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      comment: 'An adapter may use the core and shared codecs, never another adapter (http is the composition root exception).',
      from: { path: '^adapters/(memory|postgres|elasticsearch)/' },
      to: { path: '^adapters/', pathNot: '^adapters/$1/' },
    },
    {
      name: 'testing-kit-only-core-vitest-fast-check',
      severity: 'error',
      comment: 'src/testing (connector-sync-jobs/testing) uses the core, vitest and fast-check; never an adapter or another package.',
      from: { path: '^src/testing/' },
      to: { pathNot: '^(src/|node_modules/(vitest|fast-check|@vitest)/)', dependencyTypesNot: ['core'] },
    },
    {
      name: 'core-never-imports-testing',
      severity: 'error',
      comment: 'The shipped library never loads the testing kit (it needs dev-only peers).',
      from: { path: '^(src|adapters)/', pathNot: '^src/testing/' },
      to: { path: '^src/testing/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycles at run time. A cycle closed only by a type import (TOKENS typing the facade that resolves them) is no cycle once compiled.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
