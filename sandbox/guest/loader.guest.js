// Runs inside QuickJS. Handler resolution (Lambda's rules) and CommonJS `require`: owns the
// module cache. File lookup and ESM/CJS classification are the host's (module-resolution.ts);
// paths are absolute, as the guest sees them (`/var/task/index.js`, `/opt/nodejs/...`).
(function installLoader(host, parts) {
  'use strict';

  const { RuntimeInitError } = parts;
  const cache = Object.create(null);
  // Built-in modules by the `node:` name the host resolves them to, as the lazy `parts` entry that
  // holds each one's exports (reading it installs the part).
  const BUILTIN_PARTS = { 'node:buffer': 'bufferModule' };

  function dirnameOf(path) {
    const slash = path.lastIndexOf('/');
    return slash <= 0 ? '/' : path.slice(0, slash);
  }

  function notFound(request, fromPath) {
    const error = new Error(`Cannot find module '${request}'\nRequire stack:\n- ${fromPath}`);
    error.code = 'MODULE_NOT_FOUND';
    return error;
  }

  function makeRequire(fromPath) {
    function require(request) {
      if (typeof request !== 'string' || request === '') throw new TypeError('The "id" argument must be of type string. Received ' + typeof request);
      const found = host.resolve(fromPath, request);
      if (found === '') throw notFound(request, fromPath);
      const { path, kind } = JSON.parse(found);
      return load(path, kind);
    }
    require.resolve = (request) => {
      const found = host.resolve(fromPath, String(request));
      if (found === '') throw notFound(request, fromPath);
      const { path, kind } = JSON.parse(found);
      return kind === 'builtin' ? String(request) : path;
    };
    require.cache = cache;
    return require;
  }

  /** Loads a bundle file as CommonJS (or JSON), once; a failed load is not cached. */
  function load(path, kind) {
    if (kind === 'builtin') return parts[BUILTIN_PARTS[path]];
    const cached = cache[path];
    if (cached) return cached.exports;
    const filename = path;
    const module = { id: filename, filename, path: dirnameOf(path), loaded: false, exports: {}, children: [], paths: [] };
    cache[path] = module;
    try {
      if (kind === 'json') {
        module.exports = JSON.parse(host.read(path));
      } else if (kind === 'esm') {
        const error = new Error(`require() of ES Module ${filename} not supported.`);
        error.code = 'ERR_REQUIRE_ESM';
        throw error;
      } else {
        const wrapper = host.compileCommonJs(path);
        wrapper.call(module.exports, module.exports, makeRequire(path), module, filename, module.path);
      }
    } catch (error) {
      delete cache[path];
      throw error;
    }
    module.loaded = true;
    return module.exports;
  }

  // ESM importing a CommonJS or JSON file or a built-in: the host's module loader emits
  // `export default __faasboxRequire(path)`, so the file's module.exports is the default export.
  Object.defineProperty(globalThis, '__faasboxRequire', {
    value: (path) => load(path, path.startsWith('node:') ? 'builtin' : path.endsWith('.json') ? 'json' : 'cjs'),
    enumerable: false,
    writable: false,
    configurable: false,
  });

  /**
   * Lambda's handler resolution. Failure modes, as RuntimeInitError:
   * 1. `..` anywhere, or no dot in the base name: Runtime.MalformedHandlerName.
   * 2. No module/module.js/.mjs/.cjs file, or a missing require/import: Runtime.ImportModuleError.
   * 3. A syntax error in any loaded file: Runtime.UserCodeSyntaxError.
   * 4. The export path is undefined or not a function: Runtime.HandlerNotFound.
   * Anything else the module throws while loading is rethrown as is.
   */
  async function loadHandler(handlerString) {
    if (handlerString.includes('..')) {
      throw new RuntimeInitError('Runtime.MalformedHandlerName', 'malformed-handler', "'../' is not a valid handler name. Use absolute paths when specifying root directories in handler names.");
    }
    const slash = handlerString.lastIndexOf('/');
    const root = slash < 0 ? '' : handlerString.slice(0, slash + 1);
    const match = /^([^.]*)\.(.*)$/.exec(handlerString.slice(slash + 1));
    if (!match || match[1] === '' || match[2] === '') throw new RuntimeInitError('Runtime.MalformedHandlerName', 'malformed-handler', `Bad handler ${handlerString}`);
    const [, moduleName, exportPath] = match;
    const found = host.resolveHandlerModule(root + moduleName);
    if (found === '') {
      throw new RuntimeInitError('Runtime.ImportModuleError', 'import-module-error', `Error: Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`);
    }
    const { path, kind } = JSON.parse(found);
    let moduleValue;
    try {
      moduleValue = kind === 'esm' ? await import(path) : load(path, kind);
    } catch (error) {
      throw classifyLoadError(error);
    }
    const handler = exportPath.split('.').reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), moduleValue);
    if (handler === undefined) throw new RuntimeInitError('Runtime.HandlerNotFound', 'handler-not-found', `${handlerString} is undefined or not exported`);
    if (typeof handler !== 'function') throw new RuntimeInitError('Runtime.HandlerNotFound', 'handler-not-found', `${handlerString} is not a function`);
    return handler;
  }

  function classifyLoadError(error) {
    if (error instanceof SyntaxError) {
      return new RuntimeInitError('Runtime.UserCodeSyntaxError', 'syntax-error', `SyntaxError: ${error.message}`, error);
    }
    const message = error && typeof error.message === 'string' ? error.message : '';
    if ((error && error.code === 'MODULE_NOT_FOUND') || message.startsWith('Cannot find module') || message.startsWith('Cannot find package')) {
      return new RuntimeInitError('Runtime.ImportModuleError', 'import-module-error', `Error: ${message}`, error);
    }
    return error;
  }

  parts.loadHandler = loadHandler;
})
