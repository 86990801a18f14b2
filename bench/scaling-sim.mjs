// Simulation for docs/SCALING.md: how concurrency admission behaves at an account limit of
// 100,000 when one Durable Object (about 1,000 requests/s) cannot take every acquire and release.
// Compares, on the same arrival trace: one exact counter (the ideal), K sharded counters with a
// static split of the limit, and per-isolate block leases from a coordinator. Prints throttle
// rates, the peak concurrency seen (never above the limit by construction, checked here) and the
// requests per second each Durable Object would receive.
// Usage: node bench/scaling-sim.mjs [seconds]

const LIMIT = 100_000;
const SECONDS = Number(process.argv[2] ?? 1);
const MEAN_DURATION_S = 0.1;
const LOADS = [0.7, 0.9, 1.0];
const SHARDS = 128;
const ISOLATES = 200;
const BLOCK = 64;

// Deterministic pseudo-random numbers so that every strategy sees the same trace.
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function trace(load, seed = 1) {
  const random = rng(seed);
  const rate = (load * LIMIT) / MEAN_DURATION_S;
  const events = [];
  for (let t = 0; t < SECONDS; ) {
    t += -Math.log(1 - random()) / rate;
    events.push({ t, duration: -Math.log(1 - random()) * MEAN_DURATION_S, isolate: Math.floor(random() * ISOLATES), shard: Math.floor(random() * SHARDS), retryShard: Math.floor(random() * SHARDS) });
  }
  return events;
}

/** Min-heap of completion times with a payload. */
class Heap {
  items = [];
  push(t, v) { const a = this.items; a.push([t, v]); let i = a.length - 1; while (i > 0) { const p = (i - 1) >> 1; if (a[p][0] <= a[i][0]) break; [a[p], a[i]] = [a[i], a[p]]; i = p; } }
  peek() { return this.items[0]?.[0] ?? Infinity; }
  pop() { const a = this.items; const top = a[0]; const last = a.pop(); if (a.length) { a[0] = last; let i = 0; for (;;) { const l = 2 * i + 1, r = l + 1; let m = i; if (l < a.length && a[l][0] < a[m][0]) m = l; if (r < a.length && a[r][0] < a[m][0]) m = r; if (m === i) break; [a[m], a[i]] = [a[i], a[m]]; i = m; } } return top[1]; }
}

function simulate(events, strategy) {
  const running = new Heap();
  let active = 0, peak = 0, throttled = 0;
  for (const e of events) {
    while (running.peek() <= e.t) { strategy.release(running.pop(), running.peek()); active--; }
    const slot = strategy.acquire(e);
    if (slot === undefined) { throttled++; continue; }
    active++; peak = Math.max(peak, active);
    running.push(e.t + e.duration, slot);
  }
  return { throttleRate: throttled / events.length, peak, objectRps: strategy.hottestObjectRps(events.length) };
}

const single = () => {
  let used = 0, calls = 0;
  return {
    acquire() { calls++; if (used >= LIMIT) return undefined; used++; return 0; },
    release() { calls++; used--; },
    hottestObjectRps: () => calls / SECONDS,
  };
};

const sharded = () => {
  const used = new Array(SHARDS).fill(0), calls = new Array(SHARDS).fill(0);
  const capacity = LIMIT / SHARDS;
  const tryShard = (s) => { calls[s]++; if (used[s] >= capacity) return undefined; used[s]++; return s; };
  return {
    // A throttled shard gets one second chance on another random shard.
    acquire: (e) => tryShard(e.shard) ?? tryShard(e.retryShard),
    release: (s) => { calls[s]++; used[s]--; },
    hottestObjectRps: () => Math.max(...calls) / SECONDS,
  };
};

const blockLeases = () => {
  let coordinatorFree = LIMIT, coordinatorCalls = 0;
  const local = new Array(ISOLATES).fill(0);
  return {
    acquire(e) {
      if (local[e.isolate] === 0) {
        coordinatorCalls++;
        const grant = Math.min(BLOCK, coordinatorFree);
        if (grant === 0) return undefined;
        coordinatorFree -= grant; local[e.isolate] += grant;
      }
      local[e.isolate]--;
      return e.isolate;
    },
    release(isolate) {
      local[isolate]++;
      // Hand a block back once an isolate holds more than two idle blocks.
      if (local[isolate] > 2 * BLOCK) { coordinatorCalls++; local[isolate] -= BLOCK; coordinatorFree += BLOCK; }
    },
    hottestObjectRps: () => coordinatorCalls / SECONDS,
  };
};

console.log(`Account limit ${LIMIT.toLocaleString()}, mean duration ${MEAN_DURATION_S * 1000} ms, ${SECONDS} s simulated per run`);
for (const load of LOADS) {
  const events = trace(load);
  console.log(`\nOffered load ${(load * 100).toFixed(0)}% of the limit (${Math.round((load * LIMIT) / MEAN_DURATION_S).toLocaleString()} invocations/s)`);
  for (const [label, make] of [['one exact counter (ideal)', single], [`${SHARDS} sharded counters, static split`, sharded], [`block leases, ${ISOLATES} isolates x ${BLOCK}`, blockLeases]]) {
    const r = simulate(events, make());
    if (r.peak > LIMIT) throw new Error(`${label} exceeded the limit`);
    console.log(`  ${label.padEnd(40)} throttled ${(r.throttleRate * 100).toFixed(3).padStart(7)}%  peak ${String(r.peak).padStart(6)}  busiest object ${Math.round(r.objectRps).toLocaleString().padStart(10)} req/s`);
  }
}
