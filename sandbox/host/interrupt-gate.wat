;; The interrupt gate: QuickJS's interrupt import, as WASM, so that no JavaScript frame stands
;; between the guest and a suspension (JSPI cannot suspend across JS frames). `check` answers
;; 0 (go on), 1 (interrupt) or 2 (suspend first); only then is the Suspending `pause` called.
;; Build: wat2wasm sandbox/host/interrupt-gate.wat -o sandbox/host/interrupt-gate.wasm
(module
  (import "host" "check" (func $check (param i32) (result i32)))
  (import "host" "pause" (func $pause (param i32) (result i32)))
  (func (export "interrupt") (param $runtime i32) (result i32)
    (local $answer i32)
    (local.set $answer (call $check (local.get $runtime)))
    (if (result i32) (i32.eq (local.get $answer) (i32.const 2))
      (then (call $pause (local.get $runtime)))
      (else (local.get $answer)))))
