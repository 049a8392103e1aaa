;; Spins until its fuel runs out (FUEL_EXHAUSTED); used beside another tenant's short containers
;; to show that one tenant's VHM pool does not slow another's.
(module
  (func (export "run") (result i32)
    (loop $forever (br $forever))
    (i32.const 0)))
