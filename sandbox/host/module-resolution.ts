// Node-style module resolution over a bundle's file map (pure functions; owns nothing). The guest's
// `require`, its `import` normalizer and the handler lookup all resolve through here, so there is
// one answer to "which file is this, and is it ESM, CommonJS or JSON".

/** Where the bundle appears to the guest, as on Lambda. */
export const TASK_ROOT = '/var/task';

export type ModuleKind = 'esm' | 'cjs' | 'json' | 'builtin';

export interface ResolvedModule {
  /** Path relative to the bundle root, e.g. `lib/util.js`; for a built-in its `node:` name. */
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

/** Lambda's handler lookup: `module`, `module.js`, `module.mjs`, `module.cjs`, in that order. */
export function resolveHandlerModule(files: Files, modulePath: string): ResolvedModule | undefined {
  for (const candidate of [modulePath, `${modulePath}.js`, `${modulePath}.mjs`, `${modulePath}.cjs`]) {
    const path = normalizePath(candidate);
    if (path !== undefined && path in files) return { path, kind: moduleKind(files, path) };
  }
  return undefined;
}

/**
 * Resolves `request` as seen from the file `fromPath` (bundle-relative): the built-ins the guest
 * has (before node_modules, as in Node), relative and absolute (`/var/task/...`) specifiers, then
 * `node_modules` directories upward. Undefined when nothing matches, including other Node built-ins.
 */
export function resolveRequest(files: Files, fromPath: string, request: string): ResolvedModule | undefined {
  const builtin = builtinModuleName(request);
  if (builtin !== undefined) return { path: builtin, kind: 'builtin' };
  const fromDir = dirname(fromPath);
  let path: string | undefined;
  if (request.startsWith('./') || request.startsWith('../') || request === '.' || request === '..') {
    path = resolveAsFileOrDirectory(files, join(fromDir, request));
  } else if (request.startsWith(`${TASK_ROOT}/`)) {
    path = resolveAsFileOrDirectory(files, request.slice(TASK_ROOT.length + 1));
  } else if (!request.startsWith('/') && !request.startsWith('node:')) {
    for (let dir: string | undefined = fromDir; dir !== undefined; dir = parentDir(dir)) {
      path = resolveAsFileOrDirectory(files, join(dir, `node_modules/${request}`));
      if (path !== undefined) break;
    }
  }
  return path === undefined ? undefined : { path, kind: moduleKind(files, path) };
}

/** ESM for `.mjs`, or `.js` under a nearest package.json with `"type": "module"`. */
export function moduleKind(files: Files, path: string): ModuleKind {
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.mjs')) return 'esm';
  if (path.endsWith('.cjs') || !path.endsWith('.js')) return 'cjs';
  for (let dir: string | undefined = dirname(path); dir !== undefined; dir = parentDir(dir)) {
    const manifestPath = join(dir, 'package.json');
    const manifest = manifestPath === undefined ? undefined : files[manifestPath];
    if (manifest !== undefined) return readPackageJson(manifest)?.type === 'module' ? 'esm' : 'cjs';
  }
  return 'cjs';
}

/** Bundle-relative path of a module name the guest's loader sees (`/var/task/a/b.mjs` -> `a/b.mjs`). */
export function bundlePathOfModuleName(moduleName: string): string | undefined {
  return moduleName.startsWith(`${TASK_ROOT}/`) ? moduleName.slice(TASK_ROOT.length + 1) : undefined;
}

function resolveAsFileOrDirectory(files: Files, base: string | undefined): string | undefined {
  if (base === undefined) return undefined;
  for (const candidate of [base, `${base}.js`, `${base}.json`, `${base}.mjs`, `${base}.cjs`]) {
    if (candidate !== '' && candidate in files) return candidate;
  }
  const manifestPath = join(base, 'package.json');
  const manifest = manifestPath === undefined ? undefined : files[manifestPath];
  const main = manifest === undefined ? undefined : readPackageJson(manifest)?.main;
  if (typeof main === 'string') {
    const target = join(base, main);
    if (target !== undefined) {
      for (const candidate of [target, `${target}.js`, `${target}.json`, join(target, 'index.js')]) {
        if (candidate !== undefined && candidate in files) return candidate;
      }
    }
  }
  for (const index of ['index.js', 'index.json', 'index.mjs', 'index.cjs']) {
    const candidate = join(base, index);
    if (candidate !== undefined && candidate in files) return candidate;
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

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function parentDir(dir: string): string | undefined {
  return dir === '' ? undefined : dirname(dir);
}

/** Joins and normalises; undefined when the result would climb out of the bundle root. */
function join(dir: string, relative: string): string | undefined {
  return normalizePath(dir === '' ? relative : `${dir}/${relative}`);
}

function normalizePath(path: string): string | undefined {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join('/');
}
