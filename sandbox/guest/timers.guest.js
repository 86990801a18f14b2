// Runs inside QuickJS. setTimeout/setInterval and their clears: owns the guest's timer queue; the
// host asks for the next due time, waits for real, then asks due timers to run.
(function installTimers(host, parts) {
  'use strict';

  const queue = new Map();
  let nextId = 1;
  let sequence = 0;

  class Timeout {
    constructor(id) { this._id = id; }
    ref() { return this; }
    unref() { return this; }
    hasRef() { return true; }
    refresh() {
      const timer = queue.get(this._id);
      if (timer) timer.due = Date.now() + timer.delay;
      return this;
    }
    [Symbol.toPrimitive]() { return this._id; }
  }

  function schedule(callback, delay, args, repeat) {
    if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function. Received ' + typeof callback);
    let ms = Number(delay);
    if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
    const id = nextId++;
    queue.set(id, { id, due: Date.now() + ms, delay: ms, callback, args, repeat, sequence: sequence++ });
    return new Timeout(id);
  }

  function clear(handle) {
    if (handle === undefined || handle === null) return;
    queue.delete(typeof handle === 'object' ? handle._id : Number(handle));
  }

  const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  define('setTimeout', (callback, delay, ...args) => schedule(callback, delay, args, false));
  define('setInterval', (callback, delay, ...args) => schedule(callback, delay, args, true));
  define('setImmediate', (callback, ...args) => schedule(callback, 0, args, false));
  define('clearTimeout', clear);
  define('clearInterval', clear);
  define('clearImmediate', clear);

  parts.timers = {
    /** Epoch ms of the earliest timer, or -1 when none is pending. */
    nextDue() {
      let earliest = -1;
      for (const timer of queue.values()) if (earliest < 0 || timer.due < earliest) earliest = timer.due;
      return earliest;
    },
    /** Runs every timer due at `nowMs`, in due order; errors go to `onError`. */
    runDue(nowMs, onError) {
      const due = [...queue.values()].filter((t) => t.due <= nowMs).sort((a, b) => a.due - b.due || a.sequence - b.sequence);
      for (const timer of due) {
        if (!queue.has(timer.id)) continue;
        if (timer.repeat) {
          timer.due = nowMs + timer.delay;
          timer.sequence = sequence++;
        } else {
          queue.delete(timer.id);
        }
        try {
          timer.callback(...timer.args);
        } catch (error) {
          onError(error);
        }
      }
    },
    clearAll() { queue.clear(); },
  };
})
