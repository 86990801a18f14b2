// The layering guard, run by `npm run typecheck` (and so by CI): dependencies point one way,
// index -> app -> api -> services -> objects -> leaves, with no cycle anywhere. Type-only imports
// count. docs/ARCHITECTURE.md ("Layers") explains each rule.
const HTTP = '^src/(app\\.ts|index\\.ts|api/|protocols/|web/)';
const LEAVES = '^src/(errors|limits|config|bindings|base64|function-names)\\.ts$|^src/records/|^src/crypto/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'An import cycle: the layers no longer point one way.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-http',
      comment: 'Durable Objects, operations and the invocation path never import routes, protocols, the app or Hono.',
      severity: 'error',
      from: { path: '^src/', pathNot: `${HTTP}|^src/auth/basic-auth\\.ts$|^src/function-urls/serve\\.ts$` },
      to: { path: [HTTP, 'node_modules/hono/'] },
    },
    {
      name: 'objects-import-no-services',
      comment: 'A Durable Object holds state; operations and the invocation path call objects, never the reverse (src/index.ts hands the two objects that start invocations what they call).',
      severity: 'error',
      from: { path: '^src/objects/' },
      to: { path: '^src/(services|invoke|triggers)/' },
    },
    {
      name: 'sandbox-imports-no-control-plane',
      comment: 'sandbox/ knows QuickJS and nothing of tenants, bindings or HTTP.',
      severity: 'error',
      from: { path: '^sandbox/' },
      to: { path: ['^src/', 'node_modules/hono/'] },
    },
    {
      name: 'no-import-of-the-console',
      comment: 'The console (console/) is a browser client of the signed APIs: the Worker and the sandbox never import it.',
      severity: 'error',
      from: { path: '^(src|sandbox)/' },
      to: { path: '^console/' },
    },
    {
      name: 'console-imports-no-worker',
      comment: 'The console knows the APIs only by their wire shapes, never by the Worker\'s or the sandbox\'s code.',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: '^(src|sandbox)/' },
    },
    {
      name: 'leaves-stay-leaves',
      comment: 'Record types, errors, limits, config, binding stubs and encryption at rest import nothing of src/ but other leaves.',
      severity: 'error',
      from: { path: LEAVES },
      to: { path: '^src/', pathNot: LEAVES },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['\\.guest\\.js$', '\\.wasm$'] },
  },
};
