;; A K-only compute job: counts the primes below its argument by trial division and sets the
;; result text "primes below N: X". It touches no Q or Φ and needs only k.exec.
(module
  (import "cdcr" "result" (func $result (param i32 i32) (result i32)))
  (memory 1 1)
  (data (i32.const 0) "primes below ")
  (data (i32.const 16) ": ")

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

  (func $is_prime (param $n i32) (result i32)
    (local $d i32)
    (if (i32.lt_u (local.get $n) (i32.const 2)) (then (return (i32.const 0))))
    (local.set $d (i32.const 2))
    (block $done
      (loop $try
        (br_if $done (i32.gt_u (i32.mul (local.get $d) (local.get $d)) (local.get $n)))
        (if (i32.eqz (i32.rem_u (local.get $n) (local.get $d))) (then (return (i32.const 0))))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        (br $try)))
    (i32.const 1))

  (func (export "run") (param $limit i32) (result i32)
    (local $n i32) (local $count i64) (local $p i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $n) (local.get $limit)))
        (local.set $count (i64.add (local.get $count) (i64.extend_i32_u (call $is_prime (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.set $p (call $append (i32.const 0) (i32.const 13) (i32.const 1024)))
    (local.set $p (call $itoa (i64.extend_i32_u (local.get $limit)) (local.get $p)))
    (local.set $p (call $append (i32.const 16) (i32.const 2) (local.get $p)))
    (local.set $p (call $itoa (local.get $count) (local.get $p)))
    (drop (call $result (i32.const 1024) (i32.sub (local.get $p) (i32.const 1024))))
    (i32.const 0)))
