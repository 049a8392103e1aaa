;; A Φ job that watches its envelope and reacts to instability. Before holding each slot it samples
;; the observed stability of that slot (phi_sample, needs phi.sample); if the sample is below the
;; envelope's floor plus a margin (argument, in thousandths), it logs the slot, releases the
;; envelope and stops cleanly instead of holding an unstable slot (which the host would fault with
;; PHI_INSTABILITY). Result text: "held all <n> slots" or "left early at slot <s>".
(module
  (import "cdcr" "phi_acquire" (func $phi_acquire (result i32)))
  (import "cdcr" "phi_slots" (func $phi_slots (param i32) (result i64)))
  (import "cdcr" "phi_floor" (func $phi_floor (param i32) (result f64)))
  (import "cdcr" "phi_sample" (func $phi_sample (param i32 i64) (result f64)))
  (import "cdcr" "phi_hold" (func $phi_hold (param i32 i64) (result i32)))
  (import "cdcr" "phi_release" (func $phi_release (param i32) (result i32)))
  (import "cdcr" "log" (func $log (param i32 i32) (result i32)))
  (import "cdcr" "result" (func $result (param i32 i32) (result i32)))
  (memory 1 1)
  (data (i32.const 0) "held all ")
  (data (i32.const 16) " slots")
  (data (i32.const 32) "left early at slot ")

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

  (func (export "run") (param $margin_milli i32) (result i32)
    (local $env i32) (local $slots i64) (local $slot i64) (local $limit f64) (local $p i32)
    (local.set $env (call $phi_acquire))
    (local.set $slots (call $phi_slots (local.get $env)))
    (local.set $limit (f64.add (call $phi_floor (local.get $env))
                               (f64.div (f64.convert_i32_s (local.get $margin_milli)) (f64.const 1000))))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $slot) (local.get $slots)))
        (if (f64.lt (call $phi_sample (local.get $env) (local.get $slot)) (local.get $limit))
          (then
            (local.set $p (call $append (i32.const 32) (i32.const 19) (i32.const 1024)))
            (local.set $p (call $itoa (local.get $slot) (local.get $p)))
            (drop (call $log (i32.const 1024) (i32.sub (local.get $p) (i32.const 1024))))
            (drop (call $result (i32.const 1024) (i32.sub (local.get $p) (i32.const 1024))))
            (drop (call $phi_release (local.get $env)))
            (return (i32.const 0))))
        (if (i32.ne (call $phi_hold (local.get $env) (local.get $slot)) (i32.const 0)) (then (return (i32.const 3))))
        (local.set $slot (i64.add (local.get $slot) (i64.const 1)))
        (br $next)))
    (local.set $p (call $append (i32.const 0) (i32.const 9) (i32.const 1024)))
    (local.set $p (call $itoa (local.get $slots) (local.get $p)))
    (local.set $p (call $append (i32.const 16) (i32.const 6) (local.get $p)))
    (drop (call $result (i32.const 1024) (i32.sub (local.get $p) (i32.const 1024))))
    (i32.const 0)))
