// Runs inside QuickJS. Lambda's Node.js runtime loop: owns the loaded handler, `process`, and the
// state of the invocation in progress; reports every outcome through one host call, `settle`.
(function installRuntime(host, parts) {
  'use strict';

  const { toGuestError, RuntimeInitError, loadHandler, limits } = parts;
  // parts.timers and parts.fetches are stubs until timers.guest.js and fetch.guest.js are installed
  // (on first use of their globals): read them at call time.

  const NODE_VERSIONS = { 'nodejs18.x': 'v18.20.8', 'nodejs20.x': 'v20.19.5', 'nodejs22.x': 'v22.21.1', 'nodejs24.x': 'v24.11.1' };
  const CALLBACK_DEPRECATED_MESSAGE =
    'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

  let handler = null;
  let config = null;
  /** The invocation in progress: { settled, callbackStyle, context }, or null between invocations. */
  let current = null;

  function installProcess() {
    const version = NODE_VERSIONS[config.runtime] || 'v22.21.1';
    const startedAt = Date.now();
    const process = {
      env: Object.assign({}, config.environmentVariables),
      version,
      versions: { node: version.slice(1) },
      platform: 'linux',
      arch: 'x64',
      pid: 1,
      argv: ['/var/lang/bin/node', '/var/runtime/index.mjs'],
      execArgv: [],
      title: 'node',
      release: { name: 'node' },
      cwd: () => '/var/task',
      uptime: () => (Date.now() - startedAt) / 1000,
      nextTick: (callback, ...args) => queueMicrotask(() => callback(...args)),
      hrtime: Object.assign(
        (previous) => {
          const ns = Math.round(performance.now() * 1e6);
          let seconds = Math.floor(ns / 1e9);
          let nanos = ns % 1e9;
          if (Array.isArray(previous)) {
            seconds -= previous[0];
            nanos -= previous[1];
            if (nanos < 0) { seconds -= 1; nanos += 1e9; }
          }
          return [seconds, nanos];
        },
        { bigint: () => BigInt(Math.round(performance.now() * 1e6)) },
      ),
      memoryUsage: () => {
        const bytes = host.memoryBytes();
        return { rss: bytes, heapTotal: bytes, heapUsed: bytes, external: 0, arrayBuffers: 0 };
      },
      emitWarning: (warning) => console.warn(`Warning: ${warning instanceof Error ? warning.message : warning}`),
    };
    for (const name of ['on', 'once', 'off', 'addListener', 'removeListener', 'removeAllListeners', 'prependListener']) process[name] = () => process;
    process.emit = () => false;
    process.listeners = () => [];
    Object.defineProperty(globalThis, 'process', { value: process, writable: true, configurable: true, enumerable: false });
  }

  function initFailure(error) {
    const shape = error instanceof RuntimeInitError ? { reason: error.reason, ...error.toGuestError() } : { reason: 'function-error', ...toGuestError(error) };
    return JSON.stringify(shape);
  }

  /** Reports the invocation's outcome once; later calls (a second callback, a late promise) are ignored. */
  function settle(invocation, failed, value) {
    if (invocation.settled || invocation !== current) return;
    invocation.settled = true;
    const waitForEmptyLoop = invocation.callbackStyle && invocation.context.callbackWaitsForEmptyEventLoop !== false;
    if (failed) {
      host.settle('error', JSON.stringify({ reason: 'function-error', ...toGuestError(value) }), waitForEmptyLoop);
      return;
    }
    let payload;
    try {
      payload = JSON.stringify(value === undefined ? null : value);
    } catch (error) {
      host.settle('error', JSON.stringify({ reason: 'function-error', ...toGuestError(error) }), waitForEmptyLoop);
      return;
    }
    if (payload === undefined) payload = 'null';
    // A UTF-8 encoding is at least as long as the string, so this needs no encoding to be sure.
    if (payload.length > limits.maxResponseBytes) host.settle('too-large', '', waitForEmptyLoop);
    else host.settle('ok', payload, waitForEmptyLoop);
  }

  function onUncaught(error) {
    if (current && !current.settled) settle(current, true, error);
    else console.error('Uncaught', error);
  }

  function makeContext(input, invocation) {
    const callback = (error, result) => {
      if (error !== undefined && error !== null) settle(invocation, true, error);
      else settle(invocation, false, result);
    };
    let clientContext;
    if (input.clientContextJson) {
      try { clientContext = JSON.parse(input.clientContextJson); } catch { clientContext = undefined; }
    }
    const w3cFields = traceContextFields(clientContext, input.traceparent);
    return {
      callback,
      context: {
        callbackWaitsForEmptyEventLoop: true,
        functionName: config.functionName,
        functionVersion: config.functionVersion,
        invokedFunctionArn: input.invokedFunctionArn,
        memoryLimitInMB: String(config.memorySizeMb),
        awsRequestId: input.requestId,
        logGroupName: config.logGroupName,
        logStreamName: config.logStreamName,
        identity: undefined,
        clientContext,
        xRayTraceId: input.xRayTraceId,
        w3c: () => w3cFields,
        getRemainingTimeInMillis: () => Math.max(0, input.deadlineMs - Date.now()),
        done: callback,
        succeed: (result) => callback(null, result),
        fail: (error) => callback(error === undefined || error === null ? 'handled' : error),
      },
    };
  }

  /**
   * As Lambda's runtime: W3C fields a caller put in clientContext.w3c are moved out of it; the
   * invocation's own traceparent fills in when the caller sent none.
   */
  function traceContextFields(clientContext, traceparent) {
    const fields = {};
    const given = clientContext && typeof clientContext === 'object' ? clientContext.w3c : undefined;
    if (clientContext && typeof clientContext === 'object') delete clientContext.w3c;
    if (given && typeof given === 'object' && !Array.isArray(given)) {
      for (const key of ['traceparent', 'tracestate', 'baggage']) if (typeof given[key] === 'string') fields[key] = given[key];
    }
    if (fields.traceparent === undefined && traceparent) fields.traceparent = traceparent;
    return Object.freeze(fields);
  }

  /** As Lambda's runtime: `_X_AMZN_TRACE_ID` holds this invocation's trace, or is absent. */
  function setTraceVariable(xRayTraceId) {
    // The function may have replaced process or process.env; that is its own business.
    const env = globalThis.process && globalThis.process.env;
    if (env === null || typeof env !== 'object') return;
    try {
      if (xRayTraceId) env._X_AMZN_TRACE_ID = xRayTraceId;
      else delete env._X_AMZN_TRACE_ID;
    } catch {
      // A frozen env keeps what it has.
    }
  }

  parts.runtime = {
    /** Loads the handler; settles 'ok' or 'error' (possibly after top-level await). */
    init(configJson) {
      config = JSON.parse(configJson);
      // Read by console.guest.js at each call: the format and level Lambda's runtime reads from AWS_LAMBDA_LOG_FORMAT/LEVEL.
      parts.logSettings = { format: config.logFormat, level: config.applicationLogLevel };
      installProcess();
      loadHandler(config.handler).then(
        (fn) => {
          if (config.runtime === 'nodejs24.x' && fn.length >= 3 && fn.constructor.name !== 'AsyncFunction') {
            throw new RuntimeInitError('Runtime.CallbackHandlerDeprecated', 'callback-deprecated', CALLBACK_DEPRECATED_MESSAGE);
          }
          handler = fn;
          host.settle('ok', '', false);
        },
      ).catch((error) => host.settle('error', initFailure(error), false));
    },

    /**
     * After this environment's memory was restored from another's snapshot (SnapStart): its own
     * log stream and cold-start variables, and a Math.random seeded anew (QuickJS's own generator
     * state was copied with the snapshot); crypto and the clocks ask the host, so they are unique
     * and current already.
     */
    restored(patchJson, seed) {
      const patch = JSON.parse(patchJson);
      config.logStreamName = patch.logStreamName;
      const env = globalThis.process && globalThis.process.env;
      if (env !== null && typeof env === 'object') {
        try { Object.assign(env, patch.environmentVariables); } catch { /* a frozen env keeps what it has */ }
      }
      // xoshiro128** over the host's 16 random bytes; 53 bits per number, as V8's.
      const s = new Uint32Array(seed, 0, 4);
      if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
      const next = () => {
        const result = Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)), 9) >>> 0;
        const t = s[1] << 9;
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t;
        s[3] = (s[3] << 11) | (s[3] >>> 21);
        return result;
      };
      Object.defineProperty(Math, 'random', {
        value: function random() { return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992; },
        writable: true, configurable: true, enumerable: false,
      });
    },

    /** Calls the handler for one event; the outcome arrives through host.settle. */
    invoke(inputJson, eventJson) {
      const input = JSON.parse(inputJson);
      setTraceVariable(input.xRayTraceId);
      // Known before the call: a callback may settle synchronously, inside the handler.
      const invocation = { settled: false, callbackStyle: handler.length >= 3 && handler.constructor.name !== 'AsyncFunction', context: null };
      current = invocation;
      const { callback, context } = makeContext(input, invocation);
      invocation.context = context;
      let returned;
      try {
        const event = JSON.parse(eventJson);
        returned = handler(event, context, callback);
      } catch (error) {
        settle(invocation, true, error);
        return;
      }
      if (returned !== null && (typeof returned === 'object' || typeof returned === 'function') && typeof returned.then === 'function') {
        returned.then((result) => settle(invocation, false, result), (error) => settle(invocation, true, error));
      } else if (!invocation.callbackStyle) {
        settle(invocation, false, returned);
      }
    },

    nextTimerAt: () => parts.timers.nextDue(),
    runTimers: (nowMs) => parts.timers.runDue(nowMs, onUncaught),
    settleFetch: (id, metaJson, body) => parts.fetches.settle(id, metaJson, body),

    /** The event loop is empty: a callback handler that never called back returns null, as on Lambda. */
    loopEmpty() {
      if (current && !current.settled && current.callbackStyle) settle(current, false, null);
    },

    /** Cancels the invocation's timers and forgets its fetches, so none of them runs later. */
    endInvocation() {
      parts.timers.clearAll();
      parts.fetches.clearAll();
      current = null;
    },
  };
})
