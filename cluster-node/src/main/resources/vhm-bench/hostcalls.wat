;; `cdcr bench vhm`: n host calls (cdcr.domains) in a loop, for host-call round trips per second.
(module
  (import "cdcr" "domains" (func $domains (result i32)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (drop (call $domains))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 0)))
