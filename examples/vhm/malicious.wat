;; A module that tries forbidden things, one per run, chosen by its argument. The VHM stops each:
;;   1  runs a circuit on register handle 2 (it only allocated 1)  -> CAPABILITY_VIOLATION
;;   2  acquires a Φ envelope without phi.envelope                  -> CAPABILITY_VIOLATION
;;   3  grows its memory past the container's page limit           -> MEMORY_EXHAUSTED
;;   4  loops forever                                               -> FUEL_EXHAUSTED
;;   5  hands the host a pointer outside its memory                 -> K_TRAP
;;   6  executes unreachable                                        -> K_TRAP
;;   7  divides by zero                                             -> K_TRAP
;;   8  recurses without end                                        -> K_TRAP or FUEL_EXHAUSTED
;;   9  writes a log line without log.write                         -> CAPABILITY_VIOLATION
(module
  (import "cdcr" "q_alloc" (func $q_alloc (param i32) (result i32)))
  (import "cdcr" "q_run" (func $q_run (param i32 i32) (result i32)))
  (import "cdcr" "phi_acquire" (func $phi_acquire (result i32)))
  (import "cdcr" "log" (func $log (param i32 i32) (result i32)))
  (import "cdcr" "result" (func $result (param i32 i32) (result i32)))
  (memory 1)
  (func $deeper (param $n i64) (result i64)
    (i64.add (call $deeper (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))
  (func (export "run") (param $attack i32) (result i32)
    (local $h i32)
    (if (i32.eq (local.get $attack) (i32.const 1))
      (then
        (local.set $h (call $q_alloc (i32.const 1)))
        (drop (call $q_run (i32.add (local.get $h) (i32.const 1)) (i32.const 100)))))
    (if (i32.eq (local.get $attack) (i32.const 2))
      (then (drop (call $phi_acquire))))
    (if (i32.eq (local.get $attack) (i32.const 3))
      (then (drop (memory.grow (i32.const 100)))))
    (if (i32.eq (local.get $attack) (i32.const 4))
      (then (loop $forever (br $forever))))
    (if (i32.eq (local.get $attack) (i32.const 5))
      (then (drop (call $result (i32.const 0xFFFF0000) (i32.const 64)))))
    (if (i32.eq (local.get $attack) (i32.const 6))
      (then unreachable))
    (if (i32.eq (local.get $attack) (i32.const 7))
      (then (drop (i32.div_s (i32.const 1) (i32.sub (local.get $attack) (i32.const 7))))))
    (if (i32.eq (local.get $attack) (i32.const 8))
      (then (drop (call $deeper (i64.const 0)))))
    (if (i32.eq (local.get $attack) (i32.const 9))
      (then (drop (call $log (i32.const 0) (i32.const 4)))))
    (i32.const 0)))
