;; BPR's SGD step (lib/models/bpr/bpr.ts, bprStep) in WebAssembly: the same
;; float32 operations in the same order, so the factors are bit-identical to
;; the TypeScript reference. Rows are byte offsets into the imported memory;
;; a row has n = k + 1 float32 columns (column k: user 1 / item bias).
;;
;; score: s = Σ_{c=0..k} x[u,c]·(y[i,c] − y[j,c]), one f32 add per column in
;; ascending order (a sequential sum, as implicit's compiled C loop).
;;
;; update: for c < k, t = x[u,c]:
;;   x[u,c] = t + lr·(z·(y[i,c] − y[j,c]) − reg·t)
;;   y[i,c] = y[i,c] + lr·(z·t − reg·y[i,c])
;;   y[j,c] = y[j,c] + lr·(−z·t − reg·y[j,c])
;; then the biases y[i,k] += lr·(z − reg·y[i,k]), y[j,k] += lr·(−z − reg·y[j,k]).
;; Each column's operations are independent of the other columns', so when
;; i ≠ j four columns go per f32x4 lane-wise (IEEE float32 per lane, the same
;; bits); when i = j (possible without negative verification) the row aliases
;; itself and the scalar loop keeps the reference's in-place order.
(module
  (import "env" "memory" (memory 1))

  (func (export "score") (param $u i32) (param $i i32) (param $j i32) (param $n i32) (result f32)
    (local $s f32) (local $end i32)
    (local.set $end (i32.add (local.get $u) (i32.shl (local.get $n) (i32.const 2))))
    (loop $cols
      (local.set $s
        (f32.add (local.get $s)
          (f32.mul (f32.load (local.get $u))
            (f32.sub (f32.load (local.get $i)) (f32.load (local.get $j))))))
      (local.set $u (i32.add (local.get $u) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br_if $cols (i32.lt_u (local.get $u) (local.get $end))))
    (local.get $s))

  (func (export "update") (param $u i32) (param $i i32) (param $j i32) (param $k i32)
    (param $z f32) (param $lr f32) (param $reg f32)
    (local $nz f32) (local $c i32) (local $t f32) (local $a f32) (local $b f32)
    (local $vz v128) (local $vnz v128) (local $vlr v128) (local $vreg v128)
    (local $vt v128) (local $vi v128) (local $vj v128)
    (local.set $nz (f32.neg (local.get $z)))
    (if (i32.ne (local.get $i) (local.get $j))
      (then
        (local.set $vz (f32x4.splat (local.get $z)))
        (local.set $vnz (f32x4.splat (local.get $nz)))
        (local.set $vlr (f32x4.splat (local.get $lr)))
        (local.set $vreg (f32x4.splat (local.get $reg)))
        (block $done
          (loop $quads
            (br_if $done (i32.gt_s (i32.add (local.get $c) (i32.const 4)) (local.get $k)))
            (local.set $vt (v128.load (local.get $u)))
            (local.set $vi (v128.load (local.get $i)))
            (local.set $vj (v128.load (local.get $j)))
            (v128.store (local.get $u)
              (f32x4.add (local.get $vt)
                (f32x4.mul (local.get $vlr)
                  (f32x4.sub
                    (f32x4.mul (local.get $vz) (f32x4.sub (local.get $vi) (local.get $vj)))
                    (f32x4.mul (local.get $vreg) (local.get $vt))))))
            (v128.store (local.get $i)
              (f32x4.add (local.get $vi)
                (f32x4.mul (local.get $vlr)
                  (f32x4.sub
                    (f32x4.mul (local.get $vz) (local.get $vt))
                    (f32x4.mul (local.get $vreg) (local.get $vi))))))
            (v128.store (local.get $j)
              (f32x4.add (local.get $vj)
                (f32x4.mul (local.get $vlr)
                  (f32x4.sub
                    (f32x4.mul (local.get $vnz) (local.get $vt))
                    (f32x4.mul (local.get $vreg) (local.get $vj))))))
            (local.set $u (i32.add (local.get $u) (i32.const 16)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $quads)))))
    ;; Scalar columns: the tail (or every column when i = j).
    (block $done
      (loop $cols
        (br_if $done (i32.ge_s (local.get $c) (local.get $k)))
        (local.set $t (f32.load (local.get $u)))
        (f32.store (local.get $u)
          (f32.add (local.get $t)
            (f32.mul (local.get $lr)
              (f32.sub
                (f32.mul (local.get $z)
                  (f32.sub (f32.load (local.get $i)) (f32.load (local.get $j))))
                (f32.mul (local.get $reg) (local.get $t))))))
        (local.set $a (f32.load (local.get $i)))
        (f32.store (local.get $i)
          (f32.add (local.get $a)
            (f32.mul (local.get $lr)
              (f32.sub (f32.mul (local.get $z) (local.get $t))
                (f32.mul (local.get $reg) (local.get $a))))))
        (local.set $b (f32.load (local.get $j)))
        (f32.store (local.get $j)
          (f32.add (local.get $b)
            (f32.mul (local.get $lr)
              (f32.sub (f32.mul (local.get $nz) (local.get $t))
                (f32.mul (local.get $reg) (local.get $b))))))
        (local.set $u (i32.add (local.get $u) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cols)))
    ;; Bias column k ($i, $j now point at it).
    (local.set $a (f32.load (local.get $i)))
    (f32.store (local.get $i)
      (f32.add (local.get $a)
        (f32.mul (local.get $lr)
          (f32.sub (local.get $z) (f32.mul (local.get $reg) (local.get $a))))))
    (local.set $b (f32.load (local.get $j)))
    (f32.store (local.get $j)
      (f32.add (local.get $b)
        (f32.mul (local.get $lr)
          (f32.sub (local.get $nz) (f32.mul (local.get $reg) (local.get $b)))))))
)
