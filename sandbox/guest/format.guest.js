// Runs inside QuickJS. Node's util.format and a rough util.inspect, so console output looks like
// Lambda's Node runtime; owns nothing.
(function installFormat(host, parts) {
  'use strict';

  const MAX_ARRAY_ITEMS = 100;
  const MAX_STRING_CHARS = 10_000;
  const BREAK_LENGTH = 72;
  const DEFAULT_DEPTH = 2;

  function inspect(value, options) {
    const depth = options && typeof options.depth === 'number' ? options.depth : DEFAULT_DEPTH;
    return formatValue(value, depth, [], 0);
  }

  function quote(s) {
    if (s.length > MAX_STRING_CHARS) s = `${s.slice(0, MAX_STRING_CHARS)}'... ${s.length - MAX_STRING_CHARS} more characters`;
    return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  }

  function formatKey(key) {
    if (typeof key === 'symbol') return `[${key.toString()}]`;
    return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
  }

  function formatPrimitive(value) {
    switch (typeof value) {
      case 'string': return quote(value);
      case 'number': return Object.is(value, -0) ? '-0' : String(value);
      case 'bigint': return `${value}n`;
      case 'symbol': return value.toString();
      case 'undefined': return 'undefined';
      default: return String(value);
    }
  }

  function join(open, items, close, indent) {
    if (items.length === 0) return `${open}${close}`.replace(/ /g, '') === '{}' ? `${open.trim()}}` : `${open}${close}`;
    const single = `${open} ${items.join(', ')} ${close}`;
    if (single.length <= BREAK_LENGTH && !single.includes('\n')) return single;
    const pad = '  '.repeat(indent + 1);
    return `${open}\n${pad}${items.join(`,\n${pad}`)}\n${'  '.repeat(indent)}${close}`;
  }

  function formatValue(value, depth, seen, indent) {
    if (value === null) return 'null';
    if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(value);
    if (seen.includes(value)) return '[Circular *1]';
    try {
      if (typeof value === 'function') {
        const name = value.name ? `: ${value.name}` : ' (anonymous)';
        const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
        return isClass ? `[class ${value.name || '(anonymous)'}]` : `[Function${name}]`;
      }
      if (value instanceof Error) return value.stack ? `${value.name}: ${value.message}\n${String(value.stack).trimEnd()}` : `[${value.name}: ${value.message}]`;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      if (value instanceof RegExp) return String(value);
      if (value instanceof Promise) return 'Promise { <unknown> }';
      if (value instanceof WeakMap || value instanceof WeakSet) return `${value.constructor.name} { <items unknown> }`;
      const ctorName = value.constructor && typeof value.constructor.name === 'string' ? value.constructor.name : null;
      if (Array.isArray(value)) {
        if (depth < 0) return '[Array]';
        const inner = seen.concat([value]);
        const items = value.slice(0, MAX_ARRAY_ITEMS).map((v) => formatValue(v, depth - 1, inner, indent + 1));
        if (value.length > MAX_ARRAY_ITEMS) items.push(`... ${value.length - MAX_ARRAY_ITEMS} more items`);
        for (const key of Object.keys(value)) if (!/^\d+$/.test(key)) items.push(`${formatKey(key)}: ${formatValue(value[key], depth - 1, inner, indent + 1)}`);
        return join('[', items, ']', indent);
      }
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        const items = Array.from(value.slice(0, MAX_ARRAY_ITEMS), (v) => formatPrimitive(v));
        if (value.length > MAX_ARRAY_ITEMS) items.push(`... ${value.length - MAX_ARRAY_ITEMS} more items`);
        return join(`${ctorName}(${value.length}) [`, items, ']', indent);
      }
      if (value instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${value.byteLength} }`;
      if (value instanceof Map) {
        if (depth < 0) return '[Map]';
        const inner = seen.concat([value]);
        const items = [];
        for (const [k, v] of value) items.push(`${formatValue(k, depth - 1, inner, indent + 1)} => ${formatValue(v, depth - 1, inner, indent + 1)}`);
        return join(`Map(${value.size}) {`, items, '}', indent);
      }
      if (value instanceof Set) {
        if (depth < 0) return '[Set]';
        const inner = seen.concat([value]);
        const items = [];
        for (const v of value) items.push(formatValue(v, depth - 1, inner, indent + 1));
        return join(`Set(${value.size}) {`, items, '}', indent);
      }
      const prefix = ctorName === null ? '[Object: null prototype] ' : ctorName === 'Object' ? '' : `${ctorName} `;
      if (depth < 0) return `[${ctorName || 'Object'}]`;
      const inner = seen.concat([value]);
      const items = [];
      for (const key of Object.keys(value)) items.push(`${formatKey(key)}: ${formatValue(value[key], depth - 1, inner, indent + 1)}`);
      for (const sym of Object.getOwnPropertySymbols(value)) {
        if (Object.prototype.propertyIsEnumerable.call(value, sym)) items.push(`${formatKey(sym)}: ${formatValue(value[sym], depth - 1, inner, indent + 1)}`);
      }
      if (items.length === 0) return `${prefix}{}`;
      return join(`${prefix}{`, items, '}', indent);
    } catch {
      return '[object]';
    }
  }

  function formatNumber(value, parse) {
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol') return 'NaN';
    if (value !== null && typeof value === 'object') return 'NaN';
    const n = parse(value);
    return Object.is(n, -0) ? '-0' : String(n);
  }

  function stringify(value) {
    try {
      return JSON.stringify(value);
    } catch (e) {
      return e instanceof TypeError && /circular/i.test(e.message) ? '[Circular]' : String(e);
    }
  }

  /** Node's util.format: %s %d %i %f %j %o %O %c %%, then the rest joined by spaces. */
  function format(...args) {
    let out = '';
    let next = 0;
    if (typeof args[0] === 'string') {
      const fmt = args[0];
      next = 1;
      let last = 0;
      for (let i = 0; i < fmt.length - 1; i++) {
        if (fmt.charCodeAt(i) !== 37) continue; // '%'
        const code = fmt[i + 1];
        if (code === '%') { out += fmt.slice(last, i) + '%'; last = i + 2; i++; continue; }
        if (next >= args.length || !'sdifjoOc'.includes(code)) continue;
        const arg = args[next++];
        let piece;
        switch (code) {
          case 's':
            piece = typeof arg === 'string' ? arg : typeof arg === 'bigint' ? `${arg}n` : arg !== null && typeof arg === 'object' ? inspect(arg, { depth: 1 }) : formatPrimitive(arg).replace(/^'|'$/g, '');
            if (typeof arg === 'symbol' || typeof arg === 'number') piece = formatPrimitive(arg);
            break;
          case 'd': piece = formatNumber(arg, Number); break;
          case 'i': piece = formatNumber(arg, (v) => parseInt(v, 10)); break;
          case 'f': piece = typeof arg === 'symbol' ? 'NaN' : String(parseFloat(arg)); break;
          case 'j': piece = stringify(arg); break;
          case 'o': piece = inspect(arg, { depth: 4 }); break;
          case 'O': piece = inspect(arg); break;
          case 'c': piece = ''; break;
        }
        out += fmt.slice(last, i) + piece;
        last = i + 2;
        i++;
      }
      out += fmt.slice(last);
    }
    for (; next < args.length; next++) {
      const arg = args[next];
      const piece = typeof arg === 'string' ? arg : inspect(arg);
      out += out === '' && next === 0 ? piece : ` ${piece}`;
    }
    return out;
  }

  parts.format = format;
  parts.inspect = inspect;
})
