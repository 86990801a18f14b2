// Runs inside QuickJS. The guest's `console`: formats here, then one host call with one string
// per console call (the host applies the per-invocation byte cap); owns the per-line cut and, as
// Lambda's runtime does, the JSON log format and the level filter (parts.logSettings).
(function installConsole(host, parts) {
  'use strict';

  const { limits } = parts;
  // format.guest.js is installed on the first console call: read through `parts` at call time.
  const format = (...args) => parts.format(...args);
  const inspect = (value, options) => parts.inspect(value, options);
  const timers = new Map();
  const counts = new Map();
  let groupIndent = '';
  // Lambda's Node.js runtime (LogPatch.js): ranks of the levels; calls below the function's level do nothing.
  const RANK = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
  const logSettings = () => parts.logSettings || {};
  const isJson = () => logSettings().format === 'JSON';

  function cut(message) {
    return message.length > limits.maxLogLineChars
      ? `${message.slice(0, limits.maxLogLineChars)}... [${message.length - limits.maxLogLineChars} characters truncated]`
      : message;
  }

  function errorFields(error) {
    const errorType = (error && error.constructor && error.constructor.name) || 'UnknownError';
    return { errorType, errorMessage: error.message, stackTrace: parts.toGuestError(error).trace };
  }

  /** As the runtime's JSON.stringify replacer: an Error is its fields, then its own enumerable ones. */
  const errorReplacer = (_key, value) => (value instanceof Error ? Object.assign(errorFields(value), value) : value);

  /**
   * Lambda's JSON record less timestamp, level and requestId (the host adds those): one argument
   * is the message as a JSON value, several are formatted into one string with the first Error
   * among them adding its fields. Past the line cut, the formatted text stands as the message, cut.
   */
  function jsonFields(args) {
    let text;
    if (args.length <= 1) {
      try {
        text = JSON.stringify({ message: args[0] }, errorReplacer);
      } catch {
        text = undefined;
      }
      if (text === undefined) text = JSON.stringify({ message: format(...args) });
    } else {
      const fields = { message: format(...args) };
      const error = args.find((arg) => arg instanceof Error);
      text = JSON.stringify(error ? Object.assign(fields, errorFields(error)) : fields);
    }
    return text.length > limits.maxLogLineChars ? JSON.stringify({ message: cut(format(...args)) }) : text;
  }

  function emit(level, args) {
    const { level: minLevel } = logSettings();
    if (minLevel && RANK[level] < RANK[minLevel]) return;
    if (isJson()) {
      host.log(level, jsonFields(args));
      return;
    }
    let message = groupIndent === '' ? format(...args) : groupIndent + format(...args).split('\n').join(`\n${groupIndent}`);
    host.log(level, cut(message));
  }

  const console = {
    log: (...args) => emit('INFO', args),
    info: (...args) => emit('INFO', args),
    debug: (...args) => emit('DEBUG', args),
    warn: (...args) => emit('WARN', args),
    error: (...args) => emit('ERROR', args),
    fatal: (...args) => emit('FATAL', args),
    trace: (...args) => {
      // The runtime's JSON console.trace is a TRACE record of its arguments, without a stack.
      if (isJson()) return emit('TRACE', args);
      const stack = String(new Error().stack || '').split('\n').slice(1).filter((l) => l.trim() !== '' && !l.includes('faasbox:')).join('\n');
      emit('TRACE', [`Trace: ${format(...args)}${stack ? `\n${stack}` : ''}`]);
    },
    dir: (value, options) => emit('INFO', [inspect(value, options)]),
    assert: (condition, ...args) => {
      if (!condition) emit('ERROR', args.length ? [`Assertion failed: ${format(...args)}`] : ['Assertion failed']);
    },
    count: (label = 'default') => {
      const n = (counts.get(label) || 0) + 1;
      counts.set(label, n);
      emit('INFO', [`${label}: ${n}`]);
    },
    countReset: (label = 'default') => counts.delete(label),
    time: (label = 'default') => timers.set(label, Date.now()),
    timeLog: (label = 'default', ...args) => {
      if (timers.has(label)) emit('INFO', [`${label}: ${Date.now() - timers.get(label)}ms`, ...args]);
    },
    timeEnd: (label = 'default') => {
      if (!timers.has(label)) return;
      emit('INFO', [`${label}: ${Date.now() - timers.get(label)}ms`]);
      timers.delete(label);
    },
    group: (...args) => {
      if (args.length) emit('INFO', args);
      groupIndent += '  ';
    },
    groupEnd: () => { groupIndent = groupIndent.slice(2); },
    table: (data) => emit('INFO', [data]),
  };
  console.groupCollapsed = console.group;

  Object.defineProperty(globalThis, 'console', { value: console, writable: true, configurable: true, enumerable: false });
})
