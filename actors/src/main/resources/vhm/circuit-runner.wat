;; The built-in K program (k.program: builtin:circuit-runner) as a VHM module like any other:
;; run the declared circuit for the declared shots on the bound register and read the counts
;; (needs q.measure), then hold the Φ envelope slot by slot (the host faults the container if
;; the observed stability drops below the floor). Rebuild with examples/vhm/build.sh.
(module
  (import "cdcr" "domains" (func $domains (result i32)))
  (import "cdcr" "q_alloc" (func $q_alloc (param i32) (result i32)))
  (import "cdcr" "q_run_declared" (func $q_run_declared (param i32) (result i32)))
  (import "cdcr" "q_counts" (func $q_counts (param i32 i32 i32) (result i32)))
  (import "cdcr" "phi_acquire" (func $phi_acquire (result i32)))
  (import "cdcr" "phi_slots" (func $phi_slots (param i32) (result i64)))
  (import "cdcr" "phi_hold" (func $phi_hold (param i32 i64) (result i32)))
  (func (export "run") (result i32)
    (local $reg i32) (local $env i32) (local $slot i64) (local $slots i64)
    (if (i32.and (call $domains) (i32.const 1))
      (then
        (local.set $reg (call $q_alloc (i32.const 0)))
        (drop (call $q_run_declared (local.get $reg)))
        ;; capacity 0: nothing is copied, but the counts are read (and become the result)
        (drop (call $q_counts (local.get $reg) (i32.const 0) (i32.const 0)))))
    (if (i32.and (call $domains) (i32.const 2))
      (then
        (local.set $env (call $phi_acquire))
        (local.set $slots (call $phi_slots (local.get $env)))
        (block $done
          (loop $next
            (br_if $done (i64.ge_u (local.get $slot) (local.get $slots)))
            (drop (call $phi_hold (local.get $env) (local.get $slot)))
            (local.set $slot (i64.add (local.get $slot) (i64.const 1)))
            (br $next)))))
    (i32.const 0)))
