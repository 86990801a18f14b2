// Builds sandbox/host/python/micropython.instrumented.wasm: MicroPython's WebAssembly port
// (@micropython/micropython-webassembly-pyscript) with two changes. (1) Its memory, which the
// package's module defines itself (growable to 2 GiB), becomes an import (env.memory, still
// exported as `memory` for the emscripten glue), so that each environment hands it a
// WebAssembly.Memory with its own maximum: the hard cap. (2) Every loop counts down and calls
// faasbox.check (the same instrumentation as QuickJS's, scripts/quickjs-instrument.mjs), because
// MicroPython's VM calls no import while it runs. Also writes micropython.plain.wasm, the same
// module with only (1), which bench/python.bench.test.ts compares against. Run by wrangler's
// [build] command and when a vitest config loads; the outputs are not committed (.gitignore).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import binaryen from 'binaryen';
import { instrumentLoops } from './quickjs-instrument.mjs';

const require = createRequire(import.meta.url);
const INPUT = require.resolve('@micropython/micropython-webassembly-pyscript/micropython.wasm');
const OUTPUT = fileURLToPath(new URL('../sandbox/host/python/micropython.instrumented.wasm', import.meta.url));
const PLAIN_OUTPUT = fileURLToPath(new URL('../sandbox/host/python/micropython.plain.wasm', import.meta.url));
const STAMP = `${OUTPUT}.stamp`;

/** The port's own minimum memory, in pages (micropython-instance.ts MODULE_MIN_PAGES). */
const MODULE_MIN_PAGES = 259;

/** Where the memory is imported from (sandbox/host/python/micropython-instance.ts hands it over). */
export const MEMORY_IMPORT = { module: 'env', base: 'memory' };

/** `bytes` with its one defined memory turned into the import MEMORY_IMPORT (limits and data segments kept). */
export function importMemory(bytes) {
  const module = binaryen.readBinary(bytes);
  module.setFeatures(binaryen.Features.All);
  const memoryName = binaryen.getExportInfo(module.getExport('memory')).value;
  const info = module.getMemoryInfo(memoryName);
  if (info.module) throw new Error('micropython-instrument: the memory is already imported');
  // sandbox/host/python/micropython-instance.ts MODULE_MIN_PAGES: each environment's memory starts there.
  if (info.initial !== MODULE_MIN_PAGES) throw new Error(`micropython-instrument: the memory's minimum is ${info.initial} pages, not ${MODULE_MIN_PAGES}`);
  module.addMemoryImport(memoryName, MEMORY_IMPORT.module, MEMORY_IMPORT.base, false);
  const after = module.getMemoryInfo(memoryName);
  if (after.module !== MEMORY_IMPORT.module) throw new Error('micropython-instrument: the memory did not become an import');
  if (!module.validate()) throw new Error('micropython-instrument: the module does not validate');
  const output = module.emitBinary();
  module.dispose();
  return output;
}

export function buildInstrumentedMicropython() {
  const input = readFileSync(INPUT);
  const stamp = createHash('sha256').update(input).update(readFileSync(fileURLToPath(import.meta.url)))
    .update(readFileSync(fileURLToPath(new URL('./quickjs-instrument.mjs', import.meta.url)))).digest('hex');
  if (existsSync(OUTPUT) && existsSync(PLAIN_OUTPUT) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp) return;
  const plain = importMemory(input);
  const { output } = instrumentLoops(plain);
  writeFileSync(PLAIN_OUTPUT, plain);
  writeFileSync(OUTPUT, output);
  writeFileSync(STAMP, stamp);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildInstrumentedMicropython();
