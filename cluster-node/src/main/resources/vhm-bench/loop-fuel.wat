;; `cdcr bench vhm`: loop.wat with a fuel counter injected the way a rewriting pass would do it:
;; at the entry of each basic block, subtract the block's instruction count from a global and trap
;; when it goes negative. The counters here are written by hand (the VHM has no injector); they
;; measure what compiled code with injected fuel would cost.
(module
  (global $fuel (export "fuel") (mut i64) (i64.const 0))
  (func (export "run") (param $n i64) (result i64)
    (local $i i64) (local $acc i64)
    (loop $l
      (global.set $fuel (i64.sub (global.get $fuel) (i64.const 14)))
      (if (i64.lt_s (global.get $fuel) (i64.const 0)) (then unreachable))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 6364136223846793005)) (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $l (i64.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
