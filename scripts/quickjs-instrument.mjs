// Builds sandbox/host/quickjs.instrumented.wasm: QuickJS's .wasm (@jitl/quickjs-wasmfile-release-sync)
// with a countdown at the head of every loop, so that a built-in that never returns to the
// interpreter (BigInt to decimal, indexOf over a huge array-like) still reaches the host. Each
// loop iteration decrements a mutable global; only when it reaches zero does the loop call the
// import faasbox.check, which answers the next countdown or traps (wasm-instance.ts). Run by
// wrangler's [build] command and when a vitest config loads; the output is not committed
// (.gitignore) and is rebuilt only when its input or this script changes.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import binaryen from 'binaryen';

const require = createRequire(import.meta.url);
const INPUT = require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
const OUTPUT = fileURLToPath(new URL('../sandbox/host/quickjs.instrumented.wasm', import.meta.url));
const STAMP = `${OUTPUT}.stamp`;

/** Names of what this script adds to the module (the import is wasm-instance.ts's contract). */
const COUNTDOWN = 'faasbox_loop_countdown';
const CHECK = 'faasbox_loop_check';
export const CHECK_IMPORT = { module: 'faasbox', base: 'check' };

/** Loop iterations before the first check; afterwards each check answers the next countdown. */
const FIRST_COUNTDOWN = 1 << 16;

/** Expression kinds whose children are walked: every kind QuickJS's release build contains. */
function childrenOf(info) {
  switch (info.id) {
    case binaryen.BlockId: return info.children;
    case binaryen.IfId: return [info.condition, info.ifTrue, info.ifFalse];
    case binaryen.LoopId: return [info.body];
    case binaryen.BreakId: case binaryen.SwitchId: return [info.condition, info.value];
    case binaryen.CallId: return info.operands;
    case binaryen.CallIndirectId: return [info.target, ...info.operands];
    case binaryen.LocalSetId: case binaryen.GlobalSetId: case binaryen.UnaryId: case binaryen.DropId: case binaryen.ReturnId:
      return [info.value];
    case binaryen.LoadId: return [info.ptr];
    case binaryen.StoreId: return [info.ptr, info.value];
    case binaryen.BinaryId: return [info.left, info.right];
    case binaryen.SelectId: return [info.ifTrue, info.ifFalse, info.condition];
    case binaryen.MemoryCopyId: return [info.dest, info.source, info.size];
    case binaryen.MemoryFillId: return [info.dest, info.value, info.size];
    case binaryen.MemoryGrowId: return [info.delta];
    case binaryen.ConstId: case binaryen.LocalGetId: case binaryen.GlobalGetId: case binaryen.MemorySizeId:
    case binaryen.NopId: case binaryen.RefFuncId:
      return [];
    default:
      // A new build with other kinds of expressions must fail here, loudly, not ship uninstrumented loops.
      throw new Error(`quickjs-instrument: expression kind ${info.id} is not walked`);
  }
}

/** `if (countdown == 0) countdown = check() else countdown -= 1`: one load, test and store per iteration. */
function countdownStep(module) {
  const get = () => module.global.get(COUNTDOWN, binaryen.i32);
  return module.if(
    module.i32.eqz(get()),
    module.global.set(COUNTDOWN, module.call(CHECK, [], binaryen.i32)),
    module.global.set(COUNTDOWN, module.i32.sub(get(), module.i32.const(1))),
  );
}

/** Instruments every loop of `bytes` (a QuickJS module); answers the new module and its loop count. */
export function instrumentLoops(bytes) {
  const module = binaryen.readBinary(bytes);
  module.setFeatures(binaryen.Features.MVP | binaryen.Features.MutableGlobals | binaryen.Features.BulkMemory
    | binaryen.Features.BulkMemoryOpt | binaryen.Features.SignExt | binaryen.Features.NontrappingFPToInt);
  module.addGlobal(COUNTDOWN, binaryen.i32, true, module.i32.const(FIRST_COUNTDOWN));
  module.addFunctionImport(CHECK, CHECK_IMPORT.module, CHECK_IMPORT.base, binaryen.none, binaryen.i32);
  let loops = 0;
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const fn = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (fn.base || !fn.body) continue; // an import
    const pending = [fn.body];
    while (pending.length > 0) {
      const expression = pending.pop();
      // Unreachable has no children and no info to read (binaryen.js throws on it).
      if (!expression || binaryen.getExpressionId(expression) === binaryen.UnreachableId) continue;
      const info = binaryen.getExpressionInfo(expression);
      pending.push(...childrenOf(info));
      if (info.id !== binaryen.LoopId) continue;
      // A branch to the loop's label re-enters its body, so the step runs on every iteration.
      const body = module.block(null, [countdownStep(module), info.body], binaryen.getExpressionInfo(info.body).type);
      binaryen.Loop.setBody(expression, body);
      loops++;
    }
  }
  if (!module.validate()) throw new Error('quickjs-instrument: the instrumented module does not validate');
  const output = module.emitBinary();
  module.dispose();
  return { output, loops };
}

export function buildInstrumentedQuickjs() {
  const input = readFileSync(INPUT);
  const stamp = createHash('sha256').update(input).update(readFileSync(fileURLToPath(import.meta.url))).digest('hex');
  // Unchanged output is not rewritten, so watchers (wrangler dev, vitest) see no change.
  if (existsSync(OUTPUT) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp) return;
  const { output } = instrumentLoops(input);
  writeFileSync(OUTPUT, output);
  writeFileSync(STAMP, stamp);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildInstrumentedQuickjs();
