// Builds sandbox/guest/aws-sdk.vendor.guest.js: the AWS SDK for JavaScript v3 packages Lambda's
// Node.js runtimes preinstall (PREINSTALLED below), each bundled by esbuild into one CommonJS file
// a function finds at /var/runtime/node_modules/<package>/index.js, as the guest's module loader
// resolves it (after the function's own node_modules and its layers'). Each client is the SDK's
// browser build with sandbox/guest/aws-sdk/lambda-config.js in front of its runtime config (region,
// endpoint and credentials from the environment, Node stream bodies); Node's `stream` is
// readable-stream and `events` the npm `events`. The output is text (a JSON document after one
// comment line) under wrangler.toml's *.guest.js rule, read by sandbox/host/runtime-modules.ts.
// Run by wrangler's [build] command and when a vitest config loads; not committed (.gitignore) and
// rebuilt only when a package version or an input of this script changes.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const OUTPUT = fileURLToPath(new URL('../sandbox/guest/aws-sdk.vendor.guest.js', import.meta.url));
const LAMBDA_CONFIG = fileURLToPath(new URL('../sandbox/guest/aws-sdk/lambda-config.js', import.meta.url));
const GLOBALS = fileURLToPath(new URL('../sandbox/guest/aws-sdk/globals.js', import.meta.url));
const PROCESS = fileURLToPath(new URL('../sandbox/guest/aws-sdk/process.cjs', import.meta.url));
/** Where the guest sees the packages (module-resolution.ts RUNTIME_ROOT), as on Lambda. */
const RUNTIME_NODE_MODULES = '/var/runtime/node_modules';

/** The packages every function can import without bundling them; each one's own peers stay outside its bundle. */
export const PREINSTALLED = [
  { name: '@aws-sdk/client-s3' },
  { name: '@aws-sdk/client-sns' },
  { name: '@aws-sdk/client-sqs' },
  { name: '@aws-sdk/client-lambda' },
  { name: '@aws-sdk/client-cloudwatch-logs' },
  // Upload takes the caller's S3Client and sends its commands: client-s3 is resolved at run time.
  { name: '@aws-sdk/lib-storage', external: ['@aws-sdk/client-s3'] },
];

const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));
const versionOf = (name) => JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version;

/**
 * Puts lambda-config.js in front of a client's browser runtime config: the client's
 * `import { getRuntimeConfig } from "./runtimeConfig"` gets the browser one with Lambda's defaults
 * applied to what the caller passed.
 */
const lambdaRuntimeConfig = {
  name: 'faasbox-lambda-runtime-config',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/runtimeConfig$/ }, ({ importer }) => {
      if (!/[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/][^\\/]+$/.test(importer)) return undefined;
      return { path: join(dirname(importer), 'runtimeConfig.browser.js'), namespace: 'faasbox-runtime-config' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'faasbox-runtime-config' }, ({ path }) => {
      const shared = readFileSync(join(dirname(path), 'runtimeConfig.shared.js'), 'utf8');
      const serviceId = /serviceId: config\?\.serviceId \?\? "([^"]+)"/.exec(shared)?.[1];
      if (serviceId === undefined) throw new Error(`guest-sdk: no serviceId in ${dirname(path)}/runtimeConfig.shared.js`);
      return {
        resolveDir: dirname(path),
        contents: `import { getRuntimeConfig as browserRuntimeConfig } from ${JSON.stringify(path)};
import { withLambdaDefaults } from ${JSON.stringify(LAMBDA_CONFIG)};
export const getRuntimeConfig = (config) => browserRuntimeConfig(withLambdaDefaults(config, ${JSON.stringify(serviceId)}));`,
      };
    });
  },
};

/**
 * Where the bundle takes the SDK's Node.js stream helpers instead of its browser ones: bodies here
 * are Node streams (readable-stream), never web streams (the guest has none). The browser entry of
 * @smithy/core/serde re-exports its util-stream helpers from Node's files.
 */
const nodeStreamFiles = {
  name: 'faasbox-node-stream-files',
  setup(builder) {
    // readable-stream's `require('process/')`: the guest's own process (process.cjs says why).
    builder.onResolve({ filter: /^process\/?$/ }, () => ({ path: PROCESS }));
    builder.onLoad({ filter: /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]serde[\\/]index\.browser\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const contents = source.replace(/(from "\.\/util-stream\/[^"]+)\.browser"/g, '$1"');
      if (!contents.includes('export { sdkStreamMixin } from "./util-stream/sdk-stream-mixin"')) throw new Error(`guest-sdk: ${path} no longer re-exports util-stream as expected`);
      return { contents, resolveDir: dirname(path), loader: 'js' };
    });
    // S3's toStream makes a Node stream; the XML parser is fast-xml-parser, not the page's DOMParser.
    builder.onLoad({ filter: /([\\/]to-stream[\\/]toStream|[\\/]@aws-sdk[\\/]xml-builder[\\/]dist-es[\\/]xml-parser)\.browser\.js$/ }, ({ path }) => ({
      contents: readFileSync(path.replace(/\.browser\.js$/, '.js'), 'utf8'),
      resolveDir: dirname(path),
      loader: 'js',
    }));
  },
};

async function bundle({ name, external = [] }) {
  const result = await build({
    stdin: { contents: `export * from ${JSON.stringify(name)};`, resolveDir: packageDir(name), loader: 'js' },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'browser',
    target: 'es2023',
    minify: true,
    // Error and command classes keep their names (the SDK reads some of them).
    keepNames: true,
    legalComments: 'eof',
    logLevel: 'silent',
    // The guest's own Buffer ('node:buffer', sandbox/guest/buffer.vendor.guest.js).
    external: ['buffer', 'node:buffer', ...external],
    alias: {
      'node:stream': require.resolve('readable-stream/'),
      stream: require.resolve('readable-stream/'),
      'node:events': require.resolve('events/'),
      events: require.resolve('events/'),
      // Its browser entry reads the page's AbortController (`self`): the guest has none, so the polyfill itself.
      'abort-controller': join(packageDir('abort-controller'), 'dist/abort-controller.js'),
    },
    inject: [GLOBALS],
    define: { 'process.env.NODE_DEBUG': 'undefined' },
    plugins: [lambdaRuntimeConfig, nodeStreamFiles],
  });
  return result.outputFiles[0].text;
}

/** Named exports of a package, for `import { S3Client } from ...` (the guest's ESM view of CommonJS). */
function exportNamesOf(name) {
  return Object.keys(require(name)).filter((key) => key !== 'default' && key !== '__esModule' && /^[A-Za-z_$][\w$]*$/.test(key));
}

function stampOf() {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(readFileSync(LAMBDA_CONFIG));
  hash.update(readFileSync(GLOBALS));
  hash.update(readFileSync(PROCESS));
  for (const name of [...PREINSTALLED.map((p) => p.name), '@smithy/core', '@smithy/fetch-http-handler', 'readable-stream', 'events', 'abort-controller', 'esbuild']) hash.update(`${name}@${versionOf(name)}\n`);
  return hash.digest('hex').slice(0, 16);
}

export async function buildGuestSdk() {
  const stamp = stampOf();
  const header = `// GENERATED by scripts/guest-sdk.mjs (stamp ${stamp}) from ${PREINSTALLED.map((p) => `${p.name}@${versionOf(p.name)}`).join(', ')} (Apache-2.0). Do not edit.`;
  if (existsSync(OUTPUT) && readFileSync(OUTPUT, 'utf8').startsWith(`${header}\n`)) return;
  const files = {};
  const exportNames = {};
  for (const spec of PREINSTALLED) {
    const dir = `${RUNTIME_NODE_MODULES}/${spec.name}`;
    files[`${dir}/package.json`] = JSON.stringify({ name: spec.name, version: versionOf(spec.name), main: 'index.js' });
    files[`${dir}/index.js`] = await bundle(spec);
    exportNames[`${dir}/index.js`] = exportNamesOf(spec.name);
  }
  writeFileSync(OUTPUT, `${header}\n${JSON.stringify({ files, exportNames })}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildGuestSdk();
