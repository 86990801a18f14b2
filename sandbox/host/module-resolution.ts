// Node-style module resolution over the files the guest sees (pure; owns nothing): the bundle at
// /var/task, the layers at /opt and the preinstalled packages at /var/runtime (runtime-modules.ts).
// The guest's `require`, its `import` normalizer and the handler lookup all resolve through here,
// so there is one answer to "which file is this, and is it ESM, CommonJS or JSON". Paths are absolute (`/var/task/lib/util.js`), as the guest sees them.
import { readRuntimeFile, RUNTIME_ROOT } from './runtime-modules';

/** Where the bundle appears to the guest, as on Lambda. */
export const TASK_ROOT = '/var/task';
/** Where the layers appear, extracted in order (a later layer's file wins), as on Lambda. */
export const OPT_ROOT = '/opt';

export type ModuleKind = 'esm' | 'cjs' | 'json' | 'builtin';

export interface ResolvedModule {
  /** Absolute path, e.g. `/var/task/lib/util.js` or `/opt/nodejs/node_modules/x/index.js`; for a built-in its `node:` name. */
  path: string;
  kind: ModuleKind;
}

/**
 * Node built-in modules the guest provides, by `node:` name, with their named ESM exports (the
 * guest loader maps each to a lazy runtime part whose object is module.exports).
 */
const BUILTIN_MODULES: ReadonlyMap<string, readonly string[]> = new Map([['node:buffer', ['Buffer', 'SlowBuffer', 'INSPECT_MAX_BYTES', 'kMaxLength']]]);

/** The `node:` name of a built-in module `request` names (`buffer` or `node:buffer`), if the guest has it. */
export function builtinModuleName(request: string): string | undefined {
  const name = request.startsWith('node:') ? request : `node:${request}`;
  return BUILTIN_MODULES.has(name) ? name : undefined;
}

/** ESM source of a built-in module for `import`: module.exports as default plus its named exports. */
export function builtinModuleSource(name: string): string | undefined {
  const exportNames = BUILTIN_MODULES.get(name);
  if (exportNames === undefined) return undefined;
  return `const builtin = globalThis.__faasboxRequire(${JSON.stringify(name)});
export default builtin;
export const { ${exportNames.join(', ')} } = builtin;`;
}

type Files = Readonly<Record<string, string>>;

/** The node_modules directories Lambda's Node.js runtime puts in NODE_PATH for `runtime` (`nodejs22.x`). */
export function lambdaNodePath(runtime: string): string {
  const major = /^nodejs(\d+)/.exec(runtime)?.[1];
  return [...(major ? [`${OPT_ROOT}/nodejs/node${major}/node_modules`] : []), `${OPT_ROOT}/nodejs/node_modules`, '/var/runtime/node_modules', '/var/runtime', TASK_ROOT].join(':');
}

/**
 * The file tree the guest resolves in: the bundle's files (relative to /var/task), the layers'
 * (relative to /opt, in extraction order) and the NODE_PATH directories bare specifiers fall back to.
 */
export class ModuleFiles {
  private readonly nodePath: readonly string[];

  constructor(
    private readonly task: Files,
    private readonly layers: readonly Files[] = [],
    nodePath = '',
  ) {
    this.nodePath = nodePath.split(':').filter((dir) => dir.startsWith('/')).map(normalizePath);
  }

  /** The text of the file at absolute `path`, or undefined when there is none. */
  read(path: string): string | undefined {
    if (path.startsWith(`${TASK_ROOT}/`)) return own(this.task, path.slice(TASK_ROOT.length + 1));
    if (path.startsWith(`${RUNTIME_ROOT}/`)) return readRuntimeFile(path);
    if (!path.startsWith(`${OPT_ROOT}/`)) return undefined;
    const relative = path.slice(OPT_ROOT.length + 1);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const source = own(this.layers[i]!, relative);
      if (source !== undefined) return source;
    }
    return undefined;
  }

  has(path: string): boolean {
    return this.read(path) !== undefined;
  }

  /** The NODE_PATH directories, in order. */
  get fallbackDirs(): readonly string[] {
    return this.nodePath;
  }
}

function own(files: Files, path: string): string | undefined {
  return path !== '' && Object.hasOwn(files, path) ? files[path] : undefined;
}

/** Lambda's handler lookup under /var/task: `module`, `module.js`, `module.mjs`, `module.cjs`, in that order. */
export function resolveHandlerModule(files: ModuleFiles, modulePath: string): ResolvedModule | undefined {
  for (const candidate of [modulePath, `${modulePath}.js`, `${modulePath}.mjs`, `${modulePath}.cjs`]) {
    const path = normalizePath(`${TASK_ROOT}/${candidate}`);
    if (path.startsWith(`${TASK_ROOT}/`) && files.has(path)) return { path, kind: moduleKind(files, path) };
  }
  return undefined;
}

/**
 * Resolves `request` as seen from directory `fromDir` (absolute): the built-ins the guest has
 * (before node_modules, as in Node), relative and absolute (`/var/task/...`, `/opt/...`)
 * specifiers, then `node_modules` directories upward, then NODE_PATH's directories (how a layer's
 * nodejs/node_modules is found). Undefined when nothing matches, including other Node built-ins.
 */
export function resolveRequest(files: ModuleFiles, fromDir: string, request: string): ResolvedModule | undefined {
  const builtin = builtinModuleName(request);
  if (builtin !== undefined) return { path: builtin, kind: 'builtin' };
  let path: string | undefined;
  if (request.startsWith('./') || request.startsWith('../') || request === '.' || request === '..') {
    path = resolveAsFileOrDirectory(files, join(fromDir, request));
  } else if (request.startsWith('/')) {
    path = resolveAsFileOrDirectory(files, normalizePath(request));
  } else if (!request.startsWith('node:')) {
    for (let dir: string | undefined = fromDir; dir !== undefined && path === undefined; dir = parentDir(dir)) {
      if (basename(dir) !== 'node_modules') path = resolveAsFileOrDirectory(files, join(dir, `node_modules/${request}`));
    }
    for (const dir of files.fallbackDirs) {
      if (path !== undefined) break;
      path = resolveAsFileOrDirectory(files, join(dir, request));
    }
  }
  return path === undefined ? undefined : { path, kind: moduleKind(files, path) };
}

/** ESM for `.mjs`, or `.js` under a nearest package.json with `"type": "module"`. */
export function moduleKind(files: ModuleFiles, path: string): ModuleKind {
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.mjs')) return 'esm';
  if (path.endsWith('.cjs') || !path.endsWith('.js')) return 'cjs';
  for (let dir: string | undefined = dirnameOf(path); dir !== undefined; dir = parentDir(dir)) {
    const manifest = files.read(join(dir, 'package.json'));
    if (manifest !== undefined) return readPackageJson(manifest)?.type === 'module' ? 'esm' : 'cjs';
  }
  return 'cjs';
}

function resolveAsFileOrDirectory(files: ModuleFiles, base: string): string | undefined {
  for (const candidate of [base, `${base}.js`, `${base}.json`, `${base}.mjs`, `${base}.cjs`]) {
    if (files.has(candidate)) return candidate;
  }
  const manifest = files.read(join(base, 'package.json'));
  const main = manifest === undefined ? undefined : readPackageJson(manifest)?.main;
  if (typeof main === 'string') {
    const target = join(base, main);
    for (const candidate of [target, `${target}.js`, `${target}.json`, join(target, 'index.js')]) {
      if (files.has(candidate)) return candidate;
    }
  }
  for (const index of ['index.js', 'index.json', 'index.mjs', 'index.cjs']) {
    const candidate = join(base, index);
    if (files.has(candidate)) return candidate;
  }
  return undefined;
}

function readPackageJson(text: string): { type?: unknown; main?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as { type?: unknown; main?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** The directory of an absolute path (`/` for a file at the root). */
export function dirnameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function parentDir(dir: string): string | undefined {
  return dir === '/' ? undefined : dirnameOf(dir);
}

function join(dir: string, relative: string): string {
  return normalizePath(`${dir}/${relative}`);
}

/** An absolute path without `.`, `..` or empty segments; `..` at the root stays there, as in POSIX. */
function normalizePath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}
