;; A miniature VQE (variational loop). The ansatz ry(theta) q[0]; cx q[0], q[1] prepares
;; cos(t/2)|00> + sin(t/2)|11>; the energy of H = Z0 + Z1 is <Z0> + <Z1> = 2 cos(theta), minimal
;; (-2) at theta = pi. K starts at theta = 0.3 and walks downhill: it tries theta +/- step, keeps a
;; move that lowers the measured energy, and halves the step when neither does. Every energy is a
;; circuit run through the host ABI (q_gate, q_run) and read back as expectation values
;; (q_expect_z). Arguments: iterations, shots per evaluation. Result text:
;; "theta_mrad=<1000 theta> energy_milli=<1000 E> evaluations=<n>".
(module
  (import "cdcr" "q_alloc" (func $q_alloc (param i32) (result i32)))
  (import "cdcr" "q_gate" (func $q_gate (param i32 i32 i32 i32 f64) (result i32)))
  (import "cdcr" "q_run" (func $q_run (param i32 i32) (result i32)))
  (import "cdcr" "q_expect_z" (func $q_expect_z (param i32 i64) (result f64)))
  (import "cdcr" "result" (func $result (param i32 i32) (result i32)))
  (memory 1 1)
  (data (i32.const 0) "theta_mrad=")
  (data (i32.const 16) " energy_milli=")
  (data (i32.const 32) " evaluations=")
  (global $reg (mut i32) (i32.const 0))
  (global $shots (mut i32) (i32.const 0))
  (global $evals (mut i64) (i64.const 0))

  ;; copies len bytes from src to dst, returns dst + len
  (func $append (param $src i32) (param $len i32) (param $dst i32) (result i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $len))
    (i32.add (local.get $dst) (local.get $len)))

  ;; writes v in decimal at p, returns the end
  (func $itoa (param $v i64) (param $p i32) (result i32)
    (local $a i32) (local $b i32) (local $t i32)
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then
        (i32.store8 (local.get $p) (i32.const 45))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (local.set $a (local.get $p))
    (loop $digit
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (local.set $b (i32.sub (local.get $p) (i32.const 1)))
    (block $done
      (loop $swap
        (br_if $done (i32.ge_u (local.get $a) (local.get $b)))
        (local.set $t (i32.load8_u (local.get $a)))
        (i32.store8 (local.get $a) (i32.load8_u (local.get $b)))
        (i32.store8 (local.get $b) (local.get $t))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.sub (local.get $b) (i32.const 1)))
        (br $swap)))
    (local.get $p))

  ;; E(theta) = <Z0> + <Z1>, measured
  (func $energy (param $theta f64) (result f64)
    (drop (call $q_gate (global.get $reg) (i32.const 7) (i32.const 0) (i32.const 0) (local.get $theta)))
    (drop (call $q_gate (global.get $reg) (i32.const 9) (i32.const 0) (i32.const 1) (f64.const 0)))
    (if (i32.ne (call $q_run (global.get $reg) (global.get $shots)) (i32.const 0)) (then unreachable))
    (global.set $evals (i64.add (global.get $evals) (i64.const 1)))
    (f64.add (call $q_expect_z (global.get $reg) (i64.const 1))
             (call $q_expect_z (global.get $reg) (i64.const 2))))

  (func (export "run") (param $iterations i32) (param $shots i32) (result i32)
    (local $theta f64) (local $step f64) (local $e f64) (local $try f64) (local $i i32) (local $p i32)
    (global.set $shots (local.get $shots))
    (global.set $reg (call $q_alloc (i32.const 2)))
    (if (i32.lt_s (global.get $reg) (i32.const 0)) (then (return (i32.const 2))))
    (local.set $theta (f64.const 0.3))
    (local.set $step (f64.const 0.8))
    (local.set $e (call $energy (local.get $theta)))
    (block $done
      (loop $iterate
        (br_if $done (i32.ge_u (local.get $i) (local.get $iterations)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $try (call $energy (f64.add (local.get $theta) (local.get $step))))
        (if (f64.lt (local.get $try) (local.get $e))
          (then
            (local.set $theta (f64.add (local.get $theta) (local.get $step)))
            (local.set $e (local.get $try))
            (br $iterate)))
        (local.set $try (call $energy (f64.sub (local.get $theta) (local.get $step))))
        (if (f64.lt (local.get $try) (local.get $e))
          (then
            (local.set $theta (f64.sub (local.get $theta) (local.get $step)))
            (local.set $e (local.get $try))
            (br $iterate)))
        (local.set $step (f64.mul (local.get $step) (f64.const 0.5)))
        (br $iterate)))
    (local.set $p (call $append (i32.const 0) (i32.const 11) (i32.const 1024)))
    (local.set $p (call $itoa (i64.trunc_f64_s (f64.mul (local.get $theta) (f64.const 1000))) (local.get $p)))
    (local.set $p (call $append (i32.const 16) (i32.const 14) (local.get $p)))
    (local.set $p (call $itoa (i64.trunc_f64_s (f64.mul (local.get $e) (f64.const 1000))) (local.get $p)))
    (local.set $p (call $append (i32.const 32) (i32.const 13) (local.get $p)))
    (local.set $p (call $itoa (global.get $evals) (local.get $p)))
    (drop (call $result (i32.const 1024) (i32.sub (local.get $p) (i32.const 1024))))
    (i32.const 0)))
