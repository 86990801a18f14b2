// Builds the console (console/src, TypeScript + Preact) into dist/console: hashed ES modules and
// CSS under console-assets/ and the HTML shell index.html that names them. wrangler serves the
// folder as static assets behind the Worker (wrangler.toml [assets]); the Worker adds each HTML
// response's CSP nonce (src/web/console-shell.ts). Run by wrangler's [build] command, by the
// vitest configs and by `node scripts/console-build.mjs`; the output is not committed.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// Relative to the project directory wrangler and vitest run in (a checkout may link scripts/ in).
const ROOT = resolve('console') + sep;
const OUT = resolve('dist', 'console') + sep;
/** Path the shell loads modules from; the Worker serves it straight from the assets. */
export const CONSOLE_ASSETS_PATH = '/console-assets/';

/**
 * `import text from 'some/file?raw'`: the file's content as a string (esbuild's text loader), the
 * path resolved as any import is (a package's file through node_modules). Vite under vitest reads
 * the same suffix itself.
 */
const rawText = {
  name: 'raw-text',
  setup(builder) {
    builder.onResolve({ filter: /\?raw$/ }, async (args) => {
      const found = await builder.resolve(args.path.slice(0, -'?raw'.length), { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer });
      return found.errors.length > 0 ? { errors: found.errors } : { path: found.path, namespace: 'raw-text' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

export async function buildConsole({ quiet = false } = {}) {
  // Built beside the served folder and swapped in at the end: a wrangler dev already serving it
  // never sees a half-written one.
  const FINAL = OUT;
  const OUT_TMP = `${FINAL.slice(0, -1)}.building-${process.pid}-${Math.random().toString(36).slice(2)}${sep}`;
  rmSync(OUT_TMP, { recursive: true, force: true });
  mkdirSync(`${OUT_TMP}console-assets`, { recursive: true });
  // The playground's proof-of-work Web Worker: a bundle of its own (a worker cannot share the
  // page's chunks), built first so the page's code knows its hashed path.
  const worker = await build({
    absWorkingDir: ROOT,
    entryPoints: { 'pow-worker': 'src/playground/pow-worker.ts' },
    outdir: `${OUT_TMP}console-assets`,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    legalComments: 'linked',
    metafile: true,
    logLevel: quiet ? 'silent' : 'warning',
  });
  const workerFile = Object.keys(worker.metafile.outputs).find((file) => file.endsWith('.js'));
  if (!workerFile) throw new Error('console build: no proof-of-work worker output');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { console: 'src/main.tsx' },
    outdir: `${OUT_TMP}console-assets`,
    bundle: true,
    // Code splitting: the editor, diff view and charts are imported lazily (their own chunks).
    splitting: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: '[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    plugins: [rawText],
    define: { FAASBOX_POW_WORKER_PATH: JSON.stringify(CONSOLE_ASSETS_PATH + basename(workerFile)) },
    legalComments: 'linked',
    metafile: true,
    logLevel: quiet ? 'silent' : 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint === 'src/main.tsx' && !o.cssBundle?.endsWith('.map'));
  if (!entry) throw new Error('console build: no entry output');
  const [entryPath, entryOutput] = entry;
  const script = CONSOLE_ASSETS_PATH + basename(entryPath);
  const style = entryOutput.cssBundle ? CONSOLE_ASSETS_PATH + basename(entryOutput.cssBundle) : undefined;
  const shell = readFileSync(`${ROOT}index.html`, 'utf8')
    .replace('<!--STYLE-->', style ? `<link rel="stylesheet" href="${style}">` : '')
    .replace('<!--SCRIPT-->', `<script type="module" src="${script}"></script>`);
  writeFileSync(`${OUT_TMP}index.html`, shell);
  copyFileSync(`${ROOT}favicon.svg`, `${OUT_TMP}favicon.svg`);
  rmSync(FINAL, { recursive: true, force: true });
  renameSync(OUT_TMP, FINAL);
  return { script, style, outputs: result.metafile.outputs };
}

// Run as a script (argv[1] may be a link to this file in a checkout that links scripts/ in).
// FAASBOX_CONSOLE_PREBUILT=1: the end-to-end tests' wrangler devs serve what the vitest config
// built once, instead of each rebuilding the folder the others serve.
const runAsScript = process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (runAsScript && process.env.FAASBOX_CONSOLE_PREBUILT !== '1') await buildConsole();
