;; WebAssembly kernels of the embedding MLP's dense layers (lib/models/mlp.ts,
;; `mlpBatchGradient`): the forward pass with f64x2 SIMD, the backward pass
;; in scalar float64.
;;
;; Every kernel computes exactly the float64 operations of the TypeScript
;; loops it replaces, in the same order, so results are bit-identical: a
;; v128 lane only ever carries one of the scalar code's sums (one output
;; unit's z, accumulated over inputs k in ascending order), never a partial
;; sum the scalar code does not form. No fused multiply-add is used. Float32
;; weights are promoted exactly to float64; float32 gradients are updated as
;; demote(promote(g) + term), the rounding of a Float32Array `+=`.
;; Pointers are byte offsets into the imported memory.
;;
;; Regenerate lib/models/mlp_simd_wasm.ts after editing:
;;   deno run --allow-read --allow-write=lib/models lib/models/mlp_simd_build.ts
(module
  (import "env" "memory" (memory 1))

  ;; For each batch row b < B and output o < nout:
  ;;   z[b·nout + o] = bias[o] + Σ_{k ascending, x[b·nin + k] ≠ 0} x[b·nin + k] · W[k·nout + o]
  ;;   relu[b·nout + o] = z > 0 ? z : 0                (only when hasRelu ≠ 0)
  ;; x, z, relu: float64; W (nin × nout, row-major), bias: float32.
  ;; list: nin i32 of scratch (the row's nonzero inputs are listed there first).
  ;; Outputs go eight at a time (four f64x2 accumulators), then two, then one.
  (func (export "denseForward")
    (param $x i32) (param $w i32) (param $bias i32) (param $z i32)
    (param $relu i32) (param $hasRelu i32)
    (param $B i32) (param $nin i32) (param $nout i32) (param $list i32)
    (local $b i32) (local $o i32) (local $k i32) (local $xrow i32)
    (local $n i32) (local $j i32) (local $wo i32)
    (local $zrow i32) (local $rrow i32) (local $wp i32) (local $stride i32)
    (local $xv v128) (local $a0 v128) (local $a1 v128) (local $a2 v128)
    (local $a3 v128) (local $zero v128) (local $xs f64) (local $s f64)
    (local.set $stride (i32.shl (local.get $nout) (i32.const 2)))
    (local.set $zero (v128.const i64x2 0 0))
    (block $bdone
      (loop $rows
        (br_if $bdone (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $xrow
          (i32.add (local.get $x)
            (i32.shl (i32.mul (local.get $b) (local.get $nin)) (i32.const 3))))
        (local.set $zrow
          (i32.add (local.get $z)
            (i32.shl (i32.mul (local.get $b) (local.get $nout)) (i32.const 3))))
        (local.set $rrow
          (i32.add (local.get $relu)
            (i32.shl (i32.mul (local.get $b) (local.get $nout)) (i32.const 3))))
        ;; list[0 .. n) = the k with x[b·nin + k] ≠ 0, ascending (branch-free)
        (local.set $n (i32.const 0))
        (local.set $k (i32.const 0))
        (block $cdone
          (loop $cs
            (br_if $cdone (i32.ge_u (local.get $k) (local.get $nin)))
            (i32.store
              (i32.add (local.get $list) (i32.shl (local.get $n) (i32.const 2)))
              (local.get $k))
            (local.set $n
              (i32.add (local.get $n)
                (f64.ne
                  (f64.load
                    (i32.add (local.get $xrow) (i32.shl (local.get $k) (i32.const 3))))
                  (f64.const 0))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $cs)))
        (local.set $o (i32.const 0))
        ;; eight outputs at a time
        (block $odone8
          (loop $o8
            (br_if $odone8
              (i32.gt_u (i32.add (local.get $o) (i32.const 8)) (local.get $nout)))
            (local.set $wp
              (i32.add (local.get $bias) (i32.shl (local.get $o) (i32.const 2))))
            (local.set $a0
              (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $wp))))
            (local.set $a1
              (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $wp))))
            (local.set $a2
              (f64x2.promote_low_f32x4 (v128.load64_zero offset=16 (local.get $wp))))
            (local.set $a3
              (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $wp))))
            (local.set $wo
              (i32.add (local.get $w) (i32.shl (local.get $o) (i32.const 2))))
            (local.set $j (i32.const 0))
            (block $kdone
              (loop $ks
                (br_if $kdone (i32.ge_u (local.get $j) (local.get $n)))
                (local.set $k
                  (i32.load
                    (i32.add (local.get $list) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $xs
                  (f64.load
                    (i32.add (local.get $xrow) (i32.shl (local.get $k) (i32.const 3)))))
                (local.set $wp
                  (i32.add (local.get $wo)
                    (i32.mul (local.get $k) (local.get $stride))))
                (local.set $xv (f64x2.splat (local.get $xs)))
                (local.set $a0
                  (f64x2.add (local.get $a0)
                    (f64x2.mul (local.get $xv)
                      (f64x2.promote_low_f32x4
                        (v128.load64_zero (local.get $wp))))))
                (local.set $a1
                  (f64x2.add (local.get $a1)
                    (f64x2.mul (local.get $xv)
                      (f64x2.promote_low_f32x4
                        (v128.load64_zero offset=8 (local.get $wp))))))
                (local.set $a2
                  (f64x2.add (local.get $a2)
                    (f64x2.mul (local.get $xv)
                      (f64x2.promote_low_f32x4
                        (v128.load64_zero offset=16 (local.get $wp))))))
                (local.set $a3
                  (f64x2.add (local.get $a3)
                    (f64x2.mul (local.get $xv)
                      (f64x2.promote_low_f32x4
                        (v128.load64_zero offset=24 (local.get $wp))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $ks)))
            (local.set $wp
              (i32.add (local.get $zrow) (i32.shl (local.get $o) (i32.const 3))))
            (v128.store (local.get $wp) (local.get $a0))
            (v128.store offset=16 (local.get $wp) (local.get $a1))
            (v128.store offset=32 (local.get $wp) (local.get $a2))
            (v128.store offset=48 (local.get $wp) (local.get $a3))
            (if (local.get $hasRelu)
              (then
                (local.set $wp
                  (i32.add (local.get $rrow) (i32.shl (local.get $o) (i32.const 3))))
                ;; pmax(0, z) = 0 < z ? z : 0, the scalar z > 0 ? z : 0
                (v128.store (local.get $wp)
                  (f64x2.pmax (local.get $zero) (local.get $a0)))
                (v128.store offset=16 (local.get $wp)
                  (f64x2.pmax (local.get $zero) (local.get $a1)))
                (v128.store offset=32 (local.get $wp)
                  (f64x2.pmax (local.get $zero) (local.get $a2)))
                (v128.store offset=48 (local.get $wp)
                  (f64x2.pmax (local.get $zero) (local.get $a3)))))
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (br $o8)))
        ;; two outputs at a time
        (block $odone2
          (loop $o2
            (br_if $odone2
              (i32.gt_u (i32.add (local.get $o) (i32.const 2)) (local.get $nout)))
            (local.set $a0
              (f64x2.promote_low_f32x4
                (v128.load64_zero
                  (i32.add (local.get $bias) (i32.shl (local.get $o) (i32.const 2))))))
            (local.set $wo
              (i32.add (local.get $w) (i32.shl (local.get $o) (i32.const 2))))
            (local.set $j (i32.const 0))
            (block $kdone
              (loop $ks
                (br_if $kdone (i32.ge_u (local.get $j) (local.get $n)))
                (local.set $k
                  (i32.load
                    (i32.add (local.get $list) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $xs
                  (f64.load
                    (i32.add (local.get $xrow) (i32.shl (local.get $k) (i32.const 3)))))
                (local.set $wp
                  (i32.add (local.get $wo)
                    (i32.mul (local.get $k) (local.get $stride))))
                (local.set $a0
                  (f64x2.add (local.get $a0)
                    (f64x2.mul (f64x2.splat (local.get $xs))
                      (f64x2.promote_low_f32x4
                        (v128.load64_zero (local.get $wp))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $ks)))
            (v128.store
              (i32.add (local.get $zrow) (i32.shl (local.get $o) (i32.const 3)))
              (local.get $a0))
            (if (local.get $hasRelu)
              (then
                (v128.store
                  (i32.add (local.get $rrow) (i32.shl (local.get $o) (i32.const 3)))
                  (f64x2.pmax (local.get $zero) (local.get $a0)))))
            (local.set $o (i32.add (local.get $o) (i32.const 2)))
            (br $o2)))
        ;; the last output of an odd width (and the width-1 output layer)
        (block $odone1
          (loop $o1
            (br_if $odone1 (i32.ge_u (local.get $o) (local.get $nout)))
            (local.set $s
              (f64.promote_f32
                (f32.load
                  (i32.add (local.get $bias) (i32.shl (local.get $o) (i32.const 2))))))
            (local.set $wo
              (i32.add (local.get $w) (i32.shl (local.get $o) (i32.const 2))))
            (local.set $j (i32.const 0))
            (block $kdone
              (loop $ks
                (br_if $kdone (i32.ge_u (local.get $j) (local.get $n)))
                (local.set $k
                  (i32.load
                    (i32.add (local.get $list) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $xs
                  (f64.load
                    (i32.add (local.get $xrow) (i32.shl (local.get $k) (i32.const 3)))))
                (local.set $wp
                  (i32.add (local.get $wo)
                    (i32.mul (local.get $k) (local.get $stride))))
                (local.set $s
                  (f64.add (local.get $s)
                    (f64.mul (local.get $xs)
                      (f64.promote_f32 (f32.load (local.get $wp))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $ks)))
            (f64.store
              (i32.add (local.get $zrow) (i32.shl (local.get $o) (i32.const 3)))
              (local.get $s))
            (if (local.get $hasRelu)
              (then
                (f64.store
                  (i32.add (local.get $rrow) (i32.shl (local.get $o) (i32.const 3)))
                  (select (local.get $s) (f64.const 0)
                    (f64.gt (local.get $s) (f64.const 0))))))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $o1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; The backward pass of one dense layer, in the scalar code's order:
  ;;   gPrev[0 .. B·nin) = 0
  ;;   for b < B:
  ;;     for o < nout with gz = g[b·nout + o] ≠ 0:
  ;;       GB[o] ← f32(GB[o] + gz)
  ;;       for k < nin:
  ;;         GW[k·nout + o] ← f32(GW[k·nout + o] + x[b·nin + k]·gz)
  ;;         gPrev[b·nin + k] += W[k·nout + o]·gz
  ;;     for k < nin:
  ;;       v = gPrev[b·nin + k] · mask[b·nin + k]
  ;;       gPrev[b·nin + k] = (hasRelu ≠ 0 and not pre[b·nin + k] > 0) ? 0 : v
  ;; x, mask, pre, g, gPrev: float64; W, GW, GB: float32.
  (func (export "denseBackward")
    (param $x i32) (param $mask i32) (param $pre i32) (param $hasRelu i32)
    (param $w i32) (param $gw i32) (param $gb i32) (param $g i32)
    (param $gprev i32) (param $B i32) (param $nin i32) (param $nout i32)
    (local $b i32) (local $o i32) (local $k i32) (local $i i32) (local $end i32)
    (local $xrow i32) (local $prow i32) (local $wp i32) (local $gwp i32)
    (local $stride i32) (local $gz f64) (local $v f64)
    (local.set $stride (i32.shl (local.get $nout) (i32.const 2)))
    ;; gPrev = 0
    (local.set $end
      (i32.add (local.get $gprev)
        (i32.shl (i32.mul (local.get $B) (local.get $nin)) (i32.const 3))))
    (local.set $i (local.get $gprev))
    (block $zdone
      (loop $zs
        (br_if $zdone (i32.ge_u (local.get $i) (local.get $end)))
        (f64.store (local.get $i) (f64.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $zs)))
    (block $bdone
      (loop $rows
        (br_if $bdone (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $xrow
          (i32.add (local.get $x)
            (i32.shl (i32.mul (local.get $b) (local.get $nin)) (i32.const 3))))
        (local.set $prow
          (i32.add (local.get $gprev)
            (i32.shl (i32.mul (local.get $b) (local.get $nin)) (i32.const 3))))
        (local.set $o (i32.const 0))
        (block $odone
          (loop $os
            (br_if $odone (i32.ge_u (local.get $o) (local.get $nout)))
            (local.set $gz
              (f64.load
                (i32.add (local.get $g)
                  (i32.shl
                    (i32.add (i32.mul (local.get $b) (local.get $nout)) (local.get $o))
                    (i32.const 3)))))
            (if (f64.ne (local.get $gz) (f64.const 0))
              (then
                (local.set $i
                  (i32.add (local.get $gb) (i32.shl (local.get $o) (i32.const 2))))
                (f32.store (local.get $i)
                  (f32.demote_f64
                    (f64.add (f64.promote_f32 (f32.load (local.get $i)))
                      (local.get $gz))))
                (local.set $wp
                  (i32.add (local.get $w) (i32.shl (local.get $o) (i32.const 2))))
                (local.set $gwp
                  (i32.add (local.get $gw) (i32.shl (local.get $o) (i32.const 2))))
                (local.set $k (i32.const 0))
                (block $kdone
                  (loop $ks
                    (br_if $kdone (i32.ge_u (local.get $k) (local.get $nin)))
                    (local.set $i (i32.shl (local.get $k) (i32.const 3)))
                    (f32.store (local.get $gwp)
                      (f32.demote_f64
                        (f64.add (f64.promote_f32 (f32.load (local.get $gwp)))
                          (f64.mul
                            (f64.load (i32.add (local.get $xrow) (local.get $i)))
                            (local.get $gz)))))
                    (local.set $i (i32.add (local.get $prow) (local.get $i)))
                    (f64.store (local.get $i)
                      (f64.add (f64.load (local.get $i))
                        (f64.mul (f64.promote_f32 (f32.load (local.get $wp)))
                          (local.get $gz))))
                    (local.set $wp (i32.add (local.get $wp) (local.get $stride)))
                    (local.set $gwp (i32.add (local.get $gwp) (local.get $stride)))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $ks)))))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $os)))
        ;; through the dropout mask, then the ReLU below this layer
        (local.set $k (i32.const 0))
        (block $mdone
          (loop $ms
            (br_if $mdone (i32.ge_u (local.get $k) (local.get $nin)))
            (local.set $i
              (i32.shl
                (i32.add (i32.mul (local.get $b) (local.get $nin)) (local.get $k))
                (i32.const 3)))
            (local.set $v
              (f64.mul (f64.load (i32.add (local.get $gprev) (local.get $i)))
                (f64.load (i32.add (local.get $mask) (local.get $i)))))
            (if (local.get $hasRelu)
              (then
                (if (i32.eqz
                      (f64.gt (f64.load (i32.add (local.get $pre) (local.get $i)))
                        (f64.const 0)))
                  (then (local.set $v (f64.const 0))))))
            (f64.store (i32.add (local.get $gprev) (local.get $i)) (local.get $v))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $ms)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))
)

