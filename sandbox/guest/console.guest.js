// Runs inside QuickJS. The guest's `console`: formats here, then one host call with one string
// per console call (the host applies the per-invocation byte cap); owns the per-line cut.
(function installConsole(host, parts) {
  'use strict';

  const { limits } = parts;
  // format.guest.js is installed on the first console call: read through `parts` at call time.
  const format = (...args) => parts.format(...args);
  const inspect = (value, options) => parts.inspect(value, options);
  const timers = new Map();
  const counts = new Map();
  let groupIndent = '';

  function emit(level, args) {
    let message = groupIndent === '' ? format(...args) : groupIndent + format(...args).split('\n').join(`\n${groupIndent}`);
    if (message.length > limits.maxLogLineChars) {
      message = `${message.slice(0, limits.maxLogLineChars)}... [${message.length - limits.maxLogLineChars} characters truncated]`;
    }
    host.log(level, message);
  }

  const console = {
    log: (...args) => emit('INFO', args),
    info: (...args) => emit('INFO', args),
    debug: (...args) => emit('DEBUG', args),
    warn: (...args) => emit('WARN', args),
    error: (...args) => emit('ERROR', args),
    trace: (...args) => {
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
