;; `cdcr bench vhm`: the smallest K program, for VHM admission + instantiation + run time.
(module
  (func (export "run") (result i32) (i32.const 0)))
