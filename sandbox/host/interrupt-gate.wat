;; The interrupt gate: QuickJS's interrupt import, and the loop check that the instrumented QuickJS
;; module calls from its loops (scripts/quickjs-instrument.mjs), as WASM, so that no JavaScript
;; frame stands between the guest and a suspension (JSPI cannot suspend across JS frames). `check`
;; and `loopCheck` answer 0 (go on), 1 (interrupt) or 2 (suspend first); only then is the
;; Suspending `pause` called. A loop check that must interrupt traps: it may stand inside any C
;; function (a built-in, malloc), so nothing but unwinding the whole call can stop it.
;; Build: wat2wasm sandbox/host/interrupt-gate.wat -o sandbox/host/interrupt-gate.wasm
(module
  (import "host" "check" (func $check (param i32) (result i32)))
  (import "host" "loopCheck" (func $loopCheck (result i32)))
  (import "host" "pause" (func $pause (param i32) (result i32)))
  ;; Loop iterations between two loop checks (limits.ts LOOP_CHECK_ITERATIONS).
  (import "host" "loopCheckIterations" (global $iterations i32))
  (func (export "interrupt") (param $runtime i32) (result i32)
    (local $answer i32)
    (local.set $answer (call $check (local.get $runtime)))
    (if (result i32) (i32.eq (local.get $answer) (i32.const 2))
      (then (call $pause (local.get $runtime)))
      (else (local.get $answer))))
  ;; Answers the next countdown of the instrumented module's loops, or traps.
  (func (export "loop") (result i32)
    (local $answer i32)
    (local.set $answer (call $loopCheck))
    (if (i32.eq (local.get $answer) (i32.const 2))
      (then (local.set $answer (call $pause (i32.const 0)))))
    (if (local.get $answer) (then (unreachable)))
    (global.get $iterations)))
