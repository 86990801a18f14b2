// Creates one QuickJS WASM instance with its own capped WebAssembly.Memory. The compiled module
// (the .wasm) belongs to the isolate and is shared; each instance and its memory belong to the
// one environment that asked for it.
import wasmModule from '@jitl/quickjs-wasmfile-release-sync/wasm';
import baseVariant from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import { MIN_ENVIRONMENT_MEMORY_BYTES, WASM_PAGE_BYTES } from './limits';

export interface WasmInstance {
  module: QuickJSWASMModule;
  memory: WebAssembly.Memory;
  /** The memory's maximum, in bytes. */
  capBytes: number;
}

/** Cap in bytes for a requested limit: whole pages, at least the module's 16 MiB minimum. */
export function memoryCapBytes(memoryLimitBytes: number): number {
  const pages = Math.max(MIN_ENVIRONMENT_MEMORY_BYTES / WASM_PAGE_BYTES, Math.floor(memoryLimitBytes / WASM_PAGE_BYTES));
  return pages * WASM_PAGE_BYTES;
}

export async function newWasmInstance(memoryLimitBytes: number): Promise<WasmInstance> {
  const capBytes = memoryCapBytes(memoryLimitBytes);
  const memory = new WebAssembly.Memory({ initial: MIN_ENVIRONMENT_MEMORY_BYTES / WASM_PAGE_BYTES, maximum: capBytes / WASM_PAGE_BYTES });
  const module = await newQuickJSWASMModuleFromVariant(newVariant(baseVariant, { wasmModule, wasmMemory: memory }));
  return { module, memory, capBytes };
}
