;; Test module: logs $n lines of $len bytes each through the host ABI (cdcr.log), then returns 0.
;; Used by the tests of the VHM's log budget and of the Logs RPC. Rebuild: examples/vhm/build.sh.
(module
  (import "cdcr" "log" (func $log (param i32 i32) (result i32)))
  (memory 1 1)
  (data (i32.const 0) "logger line: the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs; how vexingly quick daft zebras jump")
  (func (export "run") (param $n i32) (param $len i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (drop (call $log (i32.const 0) (local.get $len)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 0)))
