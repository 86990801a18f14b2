// Creates one QuickJS WASM instance with its own capped WebAssembly.Memory, and the entry points
// through which its guest can pause (JSPI) so that other tenants' work runs in between. The
// compiled modules (QuickJS's .wasm and the interrupt gate) belong to the isolate and are shared;
// each instance, its memory and its pause state belong to the one environment that asked for it.
import wasmModule from '@jitl/quickjs-wasmfile-release-sync/wasm';
import baseVariant from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import gateModule from './interrupt-gate.wasm';
import { MIN_ENVIRONMENT_MEMORY_BYTES, WASM_PAGE_BYTES } from './limits';

/**
 * The owner's answer to one QuickJS interrupt call: true stops the guest, false lets it go on.
 * Only when `canPause` is true may it answer a promise instead: the guest's whole stack is then
 * suspended until the promise settles, and its value decides.
 */
export type InterruptDecision = (canPause: boolean) => boolean | Promise<boolean>;

/**
 * Raw QuickJS exports wrapped in `WebAssembly.promising`: calling one runs the guest, and if the
 * guest pauses, the returned promise settles once it has resumed and finished. Argument and
 * result pointers are the library's own (quickjs-emscripten's QTS_Call and QTS_ExecutePendingJob).
 */
export interface PausableEntries {
  call(context: number, fn: number, thisValue: number, argc: number, argv: number): Promise<number>;
  executePendingJob(runtime: number, maxJobs: number, contextOut: number): Promise<number>;
}

export interface WasmInstance {
  module: QuickJSWASMModule;
  memory: WebAssembly.Memory;
  /** The memory's maximum, in bytes. */
  capBytes: number;
  /** Entry points that can pause; undefined where the platform has no JSPI (then nothing pauses). */
  entries: PausableEntries | undefined;
  /** Installs the owner's interrupt decision; until then every interrupt call answers "go on". */
  decideInterrupts(decide: InterruptDecision): void;
}

/** Cap in bytes for a requested limit: whole pages, at least the module's 16 MiB minimum. */
export function memoryCapBytes(memoryLimitBytes: number): number {
  const pages = Math.max(MIN_ENVIRONMENT_MEMORY_BYTES / WASM_PAGE_BYTES, Math.floor(memoryLimitBytes / WASM_PAGE_BYTES));
  return pages * WASM_PAGE_BYTES;
}

/** JavaScript Promise Integration (workerd since 1.20261102, PLATFORM-NOTES). */
interface Jspi {
  Suspending: new (fn: (...args: number[]) => Promise<number>) => WebAssembly.ImportValue;
  promising<F extends (...args: number[]) => number>(fn: F): (...args: Parameters<F>) => Promise<number>;
}
const JSPI: Jspi | undefined =
  typeof (WebAssembly as Partial<Jspi>).Suspending === 'function' && typeof (WebAssembly as Partial<Jspi>).promising === 'function'
    ? (WebAssembly as unknown as Jspi)
    : undefined;

type RawFunction = (...args: number[]) => number;

export async function newWasmInstance(memoryLimitBytes: number): Promise<WasmInstance> {
  const capBytes = memoryCapBytes(memoryLimitBytes);
  const memory = new WebAssembly.Memory({ initial: MIN_ENVIRONMENT_MEMORY_BYTES / WASM_PAGE_BYTES, maximum: capBytes / WASM_PAGE_BYTES });
  let decide: InterruptDecision = () => false;
  /** True while the running WASM stack was entered through a promising export (pausing is possible). */
  let onPausableStack = false;
  /** Imports (JavaScript frames) on the stack: no pause may cross one (JSPI cannot suspend JS frames). */
  let importDepth = 0;
  let pendingPause: Promise<boolean> | undefined;
  let rawExports: Record<string, unknown> | undefined;

  const gateImports = {
    host: {
      check: (): number => {
        const answer = decide(onPausableStack && importDepth === 0);
        if (typeof answer === 'boolean') return answer ? 1 : 0;
        pendingPause = answer;
        return 2;
      },
      // Called by the gate only after `check` answered 2, so only on a pausable stack.
      pause: JSPI
        ? new JSPI.Suspending(() => {
            const pause = pendingPause ?? Promise.resolve(false);
            pendingPause = undefined;
            onPausableStack = false;
            return pause.then((stop) => stop, () => true).then((stop) => {
              onPausableStack = true;
              return stop ? 1 : 0;
            });
          })
        : () => 1,
    },
  };

  const module = await newQuickJSWASMModuleFromVariant(newVariant(baseVariant, {
    wasmMemory: memory,
    emscriptenModule: {
      // Emscripten calls this with the glue's imports and itself as `this` (its module object,
      // which holds the raw exports as `_QTS_*` once onSuccess ran).
      instantiateWasm(this: Record<string, unknown>, imports: WebAssembly.Imports, onSuccess: (instance: WebAssembly.Instance) => void) {
        const gate = new WebAssembly.Instance(gateModule, gateImports);
        wrapImports(imports, gate.exports.interrupt as RawFunction, () => importDepth++, () => importDepth--);
        const instance = new WebAssembly.Instance(wasmModule, imports);
        onSuccess(instance);
        rawExports = this;
        return instance.exports;
      },
    },
  }));

  let entries: PausableEntries | undefined;
  if (JSPI && rawExports) {
    const pausable = (name: string) => {
      const promising = JSPI.promising(rawExports![name] as RawFunction);
      return (...args: number[]): Promise<number> => {
        onPausableStack = true;
        try {
          // Runs the guest until it finishes or pauses; a pause clears the flag, a resume sets it.
          return promising(...args).finally(() => { onPausableStack = false; });
        } finally {
          onPausableStack = false;
        }
      };
    };
    const call = pausable('_QTS_Call');
    const executePendingJob = pausable('_QTS_ExecutePendingJob');
    entries = { call: (...args) => call(...args), executePendingJob: (...args) => executePendingJob(...args) };
  }
  return { module, memory, capBytes, entries, decideInterrupts: (fn) => { decide = fn; } };
}

/**
 * Rewrites the glue's imports in place: the interrupt import (the one that reaches the library's
 * `shouldInterrupt` callback) becomes `interrupt`, a WASM function, so no JavaScript frame stands
 * between the guest and a pause; every other function import is wrapped to count the JavaScript
 * frames on the stack (`enter`/`leave`).
 */
function wrapImports(imports: WebAssembly.Imports, interrupt: RawFunction, enter: () => void, leave: () => void): void {
  let found = 0;
  for (const namespace of Object.values(imports)) {
    for (const [name, value] of Object.entries(namespace)) {
      if (typeof value !== 'function') continue;
      const original = value as RawFunction;
      if (String(original).includes('shouldInterrupt')) {
        found++;
        namespace[name] = interrupt;
        continue;
      }
      namespace[name] = (...args: number[]) => {
        enter();
        try {
          return original(...args);
        } finally {
          leave();
        }
      };
    }
  }
  // A new build of the library that renamed its callback must fail here, loudly, not run unpaused.
  if (found !== 1) throw new Error(`expected one QuickJS interrupt import, found ${found}`);
}
