;; WebAssembly SIMD kernels of implicit-feedback ALS (lib/models/als_kernel.ts).
;;
;; Every kernel computes exactly the float64 operations of its scalar
;; TypeScript twin, in the same order, so results are bit-identical: a v128
;; lane only ever carries one of the scalar code's sums, never a partial sum
;; that the scalar code does not form. No fused multiply-add is used.
;; Pointers are byte offsets into the imported memory; k is the factor count.
;;
;; Regenerate lib/models/als_simd_wasm.ts after editing:
;;   deno run --allow-read --allow-write lib/models/als_simd_build.ts
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; out[a] = Σ_j g[a·k + j] · v[j] for a < k, each a sequential sum in j
  ;; order (symv1). G is symmetric, so rows a, a+1 at column j are the
  ;; adjacent g[j·k + a], g[j·k + a + 1]: one v128 load, one lane per row.
  (func (export "symv1")
    (param $g i32) (param $v i32) (param $out i32) (param $k i32)
    (local $a i32) (local $gp i32) (local $vp i32) (local $vend i32)
    (local $stride i32) (local $s v128) (local $ss f64)
    (local.set $stride (i32.shl (local.get $k) (i32.const 3)))
    (local.set $vend (i32.add (local.get $v) (local.get $stride)))
    (block $pdone
      (loop $pair
        (br_if $pdone
          (i32.gt_s (i32.add (local.get $a) (i32.const 2)) (local.get $k)))
        (local.set $s (v128.const i64x2 0 0))
        (local.set $gp
          (i32.add (local.get $g) (i32.shl (local.get $a) (i32.const 3))))
        (local.set $vp (local.get $v))
        (loop $j
          (local.set $s
            (f64x2.add (local.get $s)
              (f64x2.mul (v128.load (local.get $gp))
                (v128.load64_splat (local.get $vp)))))
          (local.set $gp (i32.add (local.get $gp) (local.get $stride)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
          (br_if $j (i32.lt_u (local.get $vp) (local.get $vend))))
        (v128.store
          (i32.add (local.get $out) (i32.shl (local.get $a) (i32.const 3)))
          (local.get $s))
        (local.set $a (i32.add (local.get $a) (i32.const 2)))
        (br $pair)))
    (if (i32.lt_s (local.get $a) (local.get $k))
      (then
        (local.set $ss (f64.const 0))
        (local.set $gp
          (i32.add (local.get $g) (i32.shl (local.get $a) (i32.const 3))))
        (local.set $vp (local.get $v))
        (loop $j
          (local.set $ss
            (f64.add (local.get $ss)
              (f64.mul (f64.load (local.get $gp)) (f64.load (local.get $vp)))))
          (local.set $gp (i32.add (local.get $gp) (local.get $stride)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
          (br_if $j (i32.lt_u (local.get $vp) (local.get $vend))))
        (f64.store
          (i32.add (local.get $out) (i32.shl (local.get $a) (i32.const 3)))
          (local.get $ss)))))

  ;; out = G·v and outw = G·w (symv2): rows four at a time (two v128 per
  ;; vector), then a pair, then a last single row; sums in j order.
  (func (export "symv2")
    (param $g i32) (param $v i32) (param $w i32) (param $out i32)
    (param $outw i32) (param $k i32)
    (local $a i32) (local $gp i32) (local $vp i32) (local $wp i32)
    (local $vend i32) (local $stride i32)
    (local $s0 v128) (local $s1 v128) (local $t0 v128) (local $t1 v128)
    (local $g0 v128) (local $g1 v128) (local $vj v128) (local $wj v128)
    (local $ss f64) (local $tt f64) (local $gs f64)
    (local.set $stride (i32.shl (local.get $k) (i32.const 3)))
    (local.set $vend (i32.add (local.get $v) (local.get $stride)))
    (block $qdone
      (loop $quad
        (br_if $qdone
          (i32.gt_s (i32.add (local.get $a) (i32.const 4)) (local.get $k)))
        (local.set $s0 (v128.const i64x2 0 0))
        (local.set $s1 (v128.const i64x2 0 0))
        (local.set $t0 (v128.const i64x2 0 0))
        (local.set $t1 (v128.const i64x2 0 0))
        (local.set $gp
          (i32.add (local.get $g) (i32.shl (local.get $a) (i32.const 3))))
        (local.set $vp (local.get $v))
        (local.set $wp (local.get $w))
        (loop $j
          (local.set $vj (v128.load64_splat (local.get $vp)))
          (local.set $wj (v128.load64_splat (local.get $wp)))
          (local.set $g0 (v128.load (local.get $gp)))
          (local.set $g1 (v128.load offset=16 (local.get $gp)))
          (local.set $s0
            (f64x2.add (local.get $s0) (f64x2.mul (local.get $g0) (local.get $vj))))
          (local.set $s1
            (f64x2.add (local.get $s1) (f64x2.mul (local.get $g1) (local.get $vj))))
          (local.set $t0
            (f64x2.add (local.get $t0) (f64x2.mul (local.get $g0) (local.get $wj))))
          (local.set $t1
            (f64x2.add (local.get $t1) (f64x2.mul (local.get $g1) (local.get $wj))))
          (local.set $gp (i32.add (local.get $gp) (local.get $stride)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
          (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
          (br_if $j (i32.lt_u (local.get $vp) (local.get $vend))))
        (v128.store
          (i32.add (local.get $out) (i32.shl (local.get $a) (i32.const 3)))
          (local.get $s0))
        (v128.store offset=16
          (i32.add (local.get $out) (i32.shl (local.get $a) (i32.const 3)))
          (local.get $s1))
        (v128.store
          (i32.add (local.get $outw) (i32.shl (local.get $a) (i32.const 3)))
          (local.get $t0))
        (v128.store offset=16
          (i32.add (local.get $outw) (i32.shl (local.get $a) (i32.const 3)))
          (local.get $t1))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $quad)))
    (if (i32.le_s (i32.add (local.get $a) (i32.const 2)) (local.get $k))
      (then
        (local.set $s0 (v128.const i64x2 0 0))
        (local.set $t0 (v128.const i64x2 0 0))
        (local.set $gp
          (i32.add (local.get $g) (i32.shl (local.get $a) (i32.const 3))))
        (local.set $vp (local.get $v))
        (local.set $wp (local.get $w))
        (loop $j
          (local.set $g0 (v128.load (local.get $gp)))
          (local.set $s0
            (f64x2.add (local.get $s0)
              (f64x2.mul (local.get $g0) (v128.load64_splat (local.get $vp)))))
          (local.set $t0
            (f64x2.add (local.get $t0)
              (f64x2.mul (local.get $g0) (v128.load64_splat (local.get $wp)))))
          (local.set $gp (i32.add (local.get $gp) (local.get $stride)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
          (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
          (br_if $j (i32.lt_u (local.get $vp) (local.get $vend))))
        (v128.store
          (i32.add (local.get $out) (i32.shl (local.get $a) (i32.const 3)))
          (local.get $s0))
        (v128.store
          (i32.add (local.get $outw) (i32.shl (local.get $a) (i32.const 3)))
          (local.get $t0))
        (local.set $a (i32.add (local.get $a) (i32.const 2)))))
    (if (i32.lt_s (local.get $a) (local.get $k))
      (then
        (local.set $ss (f64.const 0))
        (local.set $tt (f64.const 0))
        (local.set $gp
          (i32.add (local.get $g) (i32.shl (local.get $a) (i32.const 3))))
        (local.set $vp (local.get $v))
        (local.set $wp (local.get $w))
        (loop $j
          (local.set $gs (f64.load (local.get $gp)))
          (local.set $ss
            (f64.add (local.get $ss) (f64.mul (local.get $gs) (f64.load (local.get $vp)))))
          (local.set $tt
            (f64.add (local.get $tt) (f64.mul (local.get $gs) (f64.load (local.get $wp)))))
          (local.set $gp (i32.add (local.get $gp) (local.get $stride)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
          (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
          (br_if $j (i32.lt_u (local.get $vp) (local.get $vend))))
        (f64.store
          (i32.add (local.get $out) (i32.shl (local.get $a) (i32.const 3)))
          (local.get $ss))
        (f64.store
          (i32.add (local.get $outw) (i32.shl (local.get $a) (i32.const 3)))
          (local.get $tt)))))

  ;; Σ_j a[j]·b[j] as dotK: four accumulators s0..s3 over j mod 4 (lanes of
  ;; two v128), the tail added to s0, then (s0 + s1) + (s2 + s3).
  (func $dot (param $a i32) (param $b i32) (param $k i32) (result f64)
    (local $j i32) (local $s01 v128) (local $s23 v128) (local $s0 f64)
    (block $done
      (loop $q
        (br_if $done (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $k)))
        (local.set $s01
          (f64x2.add (local.get $s01)
            (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $s23
          (f64x2.add (local.get $s23)
            (f64x2.mul (v128.load offset=16 (local.get $a))
              (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $q)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $s01)))
    (block $done
      (loop $t
        (br_if $done (i32.ge_s (local.get $j) (local.get $k)))
        (local.set $s0
          (f64.add (local.get $s0)
            (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $t)))
    (f64.add
      (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.add (f64x2.extract_lane 0 (local.get $s23))
        (f64x2.extract_lane 1 (local.get $s23)))))

  ;; out[j] += t · y[j] for j < k (lanes over j).
  (func $axpy1 (param $t f64) (param $y i32) (param $out i32) (param $k i32)
    (local $j i32) (local $tv v128)
    (local.set $tv (f64x2.splat (local.get $t)))
    (block $done
      (loop $p
        (br_if $done (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $k)))
        (v128.store (local.get $out)
          (f64x2.add (v128.load (local.get $out))
            (f64x2.mul (local.get $tv) (v128.load (local.get $y)))))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $p)))
    (if (i32.lt_s (local.get $j) (local.get $k))
      (then
        (f64.store (local.get $out)
          (f64.add (f64.load (local.get $out))
            (f64.mul (local.get $t) (f64.load (local.get $y))))))))

  ;; out[j] += t0 · y0[j] + t1 · y1[j] for j < k (lanes over j).
  (func $axpy2 (param $t0 f64) (param $y0 i32) (param $t1 f64) (param $y1 i32)
    (param $out i32) (param $k i32)
    (local $j i32) (local $tv0 v128) (local $tv1 v128)
    (local.set $tv0 (f64x2.splat (local.get $t0)))
    (local.set $tv1 (f64x2.splat (local.get $t1)))
    (block $done
      (loop $p
        (br_if $done (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $k)))
        (v128.store (local.get $out)
          (f64x2.add (v128.load (local.get $out))
            (f64x2.add
              (f64x2.mul (local.get $tv0) (v128.load (local.get $y0)))
              (f64x2.mul (local.get $tv1) (v128.load (local.get $y1))))))
        (local.set $y0 (i32.add (local.get $y0) (i32.const 16)))
        (local.set $y1 (i32.add (local.get $y1) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $p)))
    (if (i32.lt_s (local.get $j) (local.get $k))
      (then
        (f64.store (local.get $out)
          (f64.add (f64.load (local.get $out))
            (f64.add
              (f64.mul (local.get $t0) (f64.load (local.get $y0)))
              (f64.mul (local.get $t1) (f64.load (local.get $y1)))))))))

  ;; [y0·v, y1·v] in the two lanes, each a sequential sum in j order.
  (func $dot2 (param $y0 i32) (param $y1 i32) (param $v i32) (param $k i32)
    (result v128)
    (local $vend i32) (local $d v128)
    (local.set $vend (i32.add (local.get $v) (i32.shl (local.get $k) (i32.const 3))))
    (loop $j
      (local.set $d
        (f64x2.add (local.get $d)
          (f64x2.mul
            (v128.load64_lane 1 (local.get $y1)
              (v128.load64_zero (local.get $y0)))
            (v128.load64_splat (local.get $v)))))
      (local.set $y0 (i32.add (local.get $y0) (i32.const 8)))
      (local.set $y1 (i32.add (local.get $y1) (i32.const 8)))
      (local.set $v (i32.add (local.get $v) (i32.const 8)))
      (br_if $j (i32.lt_u (local.get $v) (local.get $vend))))
    (local.get $d))

;; [y0·v, y1·v] and [y2·v, y3·v], each lane a sequential sum in j order.
  (func $dot4 (param $y0 i32) (param $y1 i32) (param $y2 i32) (param $y3 i32)
    (param $v i32) (param $k i32) (result v128 v128)
    (local $vend i32) (local $d01 v128) (local $d23 v128) (local $vj v128)
    (local.set $vend (i32.add (local.get $v) (i32.shl (local.get $k) (i32.const 3))))
    (loop $j
      (local.set $vj (v128.load64_splat (local.get $v)))
      (local.set $d01
        (f64x2.add (local.get $d01)
          (f64x2.mul
            (v128.load64_lane 1 (local.get $y1) (v128.load64_zero (local.get $y0)))
            (local.get $vj))))
      (local.set $d23
        (f64x2.add (local.get $d23)
          (f64x2.mul
            (v128.load64_lane 1 (local.get $y3) (v128.load64_zero (local.get $y2)))
            (local.get $vj))))
      (local.set $y0 (i32.add (local.get $y0) (i32.const 8)))
      (local.set $y1 (i32.add (local.get $y1) (i32.const 8)))
      (local.set $y2 (i32.add (local.get $y2) (i32.const 8)))
      (local.set $y3 (i32.add (local.get $y3) (i32.const 8)))
      (local.set $v (i32.add (local.get $v) (i32.const 8)))
      (br_if $j (i32.lt_u (local.get $v) (local.get $vend))))
    (local.get $d01) (local.get $d23))

  ;; out[j] = (out[j] + (t0·y0[j] + t1·y1[j])) + (t2·y2[j] + t3·y3[j]): two
  ;; $axpy2 passes without storing in between (lanes over j).
  (func $axpy4 (param $t01 v128) (param $t23 v128) (param $y0 i32) (param $y1 i32)
    (param $y2 i32) (param $y3 i32) (param $out i32) (param $k i32)
    (local $j i32) (local $tv0 v128) (local $tv1 v128) (local $tv2 v128)
    (local $tv3 v128) (local $o v128) (local $os f64)
    (local.set $tv0 (f64x2.splat (f64x2.extract_lane 0 (local.get $t01))))
    (local.set $tv1 (f64x2.splat (f64x2.extract_lane 1 (local.get $t01))))
    (local.set $tv2 (f64x2.splat (f64x2.extract_lane 0 (local.get $t23))))
    (local.set $tv3 (f64x2.splat (f64x2.extract_lane 1 (local.get $t23))))
    (block $done
      (loop $p
        (br_if $done (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $k)))
        (local.set $o
          (f64x2.add (v128.load (local.get $out))
            (f64x2.add
              (f64x2.mul (local.get $tv0) (v128.load (local.get $y0)))
              (f64x2.mul (local.get $tv1) (v128.load (local.get $y1))))))
        (v128.store (local.get $out)
          (f64x2.add (local.get $o)
            (f64x2.add
              (f64x2.mul (local.get $tv2) (v128.load (local.get $y2)))
              (f64x2.mul (local.get $tv3) (v128.load (local.get $y3))))))
        (local.set $y0 (i32.add (local.get $y0) (i32.const 16)))
        (local.set $y1 (i32.add (local.get $y1) (i32.const 16)))
        (local.set $y2 (i32.add (local.get $y2) (i32.const 16)))
        (local.set $y3 (i32.add (local.get $y3) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $p)))
    (if (i32.lt_s (local.get $j) (local.get $k))
      (then
        (local.set $os
          (f64.add (f64.load (local.get $out))
            (f64.add
              (f64.mul (f64x2.extract_lane 0 (local.get $tv0)) (f64.load (local.get $y0)))
              (f64.mul (f64x2.extract_lane 0 (local.get $tv1)) (f64.load (local.get $y1))))))
        (f64.store (local.get $out)
          (f64.add (local.get $os)
            (f64.add
              (f64.mul (f64x2.extract_lane 0 (local.get $tv2)) (f64.load (local.get $y2)))
              (f64.mul (f64x2.extract_lane 0 (local.get $tv3)) (f64.load (local.get $y3)))))))))

  ;; The sparse parts of b − A·v (residualPart, $residual = 1) and of A·v
  ;; (productPart, $residual = 0) over entries [e0, e1), entries four, then two
  ;; at a time (out gets each pair's sum in entry order, as the scalar code):
  ;;   out += Σ_e t_e · y_e,  t_e = c⁺_e − w_e·(y_e·v)  or  w_e·(y_e·v),
  ;; with w_e = |c_e| − 1 and c⁺_e = c_e if c_e > 0 else 0 formed in f64 from
  ;; the float32 confidence c_e (the scalar code's weightOf / targetOf).
  ;; indices: int32 per entry; conf: f32 per entry; y: nOther × k.
  (func $sparse (param $residual i32) (param $indices i32) (param $e0 i32)
    (param $e1 i32) (param $conf i32) (param $y i32)
    (param $v i32) (param $out i32) (param $k i32)
    (local $e i32) (local $rowBytes i32) (local $y0 i32) (local $y1 i32)
    (local $d v128) (local $t0 f64) (local $t1 f64) (local $y2 i32) (local $y3 i32)
    (local $d23 v128) (local $ip i32) (local $cp i32) (local $c01 v128)
    (local $c23 v128) (local $c f64)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $e (local.get $e0))
    ;; Four entries at a time: two pairs, applied to out pair after pair.
    (block $done
      (loop $quad
        (br_if $done (i32.ge_s (i32.add (local.get $e) (i32.const 3)) (local.get $e1)))
        (local.set $ip (i32.add (local.get $indices) (i32.shl (local.get $e) (i32.const 2))))
        (local.set $y0 (i32.add (local.get $y) (i32.mul (local.get $rowBytes) (i32.load (local.get $ip)))))
        (local.set $y1 (i32.add (local.get $y) (i32.mul (local.get $rowBytes) (i32.load offset=4 (local.get $ip)))))
        (local.set $y2 (i32.add (local.get $y) (i32.mul (local.get $rowBytes) (i32.load offset=8 (local.get $ip)))))
        (local.set $y3 (i32.add (local.get $y) (i32.mul (local.get $rowBytes) (i32.load offset=12 (local.get $ip)))))
        (call $dot4 (local.get $y0) (local.get $y1) (local.get $y2) (local.get $y3)
          (local.get $v) (local.get $k))
        (local.set $d23)
        (local.set $d)
        (local.set $cp (i32.add (local.get $conf) (i32.shl (local.get $e) (i32.const 2))))
        (local.set $c01 (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $cp))))
        (local.set $c23 (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $cp))))
        ;; t = (|c| − 1)·d, lane by lane (each lane the scalar code's product).
        (local.set $d
          (f64x2.mul
            (f64x2.sub (f64x2.abs (local.get $c01)) (v128.const f64x2 1 1))
            (local.get $d)))
        (local.set $d23
          (f64x2.mul
            (f64x2.sub (f64x2.abs (local.get $c23)) (v128.const f64x2 1 1))
            (local.get $d23)))
        (if (local.get $residual)
          (then
            ;; pmax(0, c) = 0 < c ? c : 0, the scalar code's c > 0 ? c : 0.
            (local.set $d
              (f64x2.sub (f64x2.pmax (v128.const f64x2 0 0) (local.get $c01)) (local.get $d)))
            (local.set $d23
              (f64x2.sub (f64x2.pmax (v128.const f64x2 0 0) (local.get $c23)) (local.get $d23)))))
        (call $axpy4 (local.get $d) (local.get $d23) (local.get $y0) (local.get $y1)
          (local.get $y2) (local.get $y3) (local.get $out) (local.get $k))
        (local.set $e (i32.add (local.get $e) (i32.const 4)))
        (br $quad)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_s (i32.add (local.get $e) (i32.const 1)) (local.get $e1)))
        (local.set $y0
          (i32.add (local.get $y)
            (i32.mul (local.get $rowBytes)
              (i32.load (i32.add (local.get $indices) (i32.shl (local.get $e) (i32.const 2)))))))
        (local.set $y1
          (i32.add (local.get $y)
            (i32.mul (local.get $rowBytes)
              (i32.load offset=4
                (i32.add (local.get $indices) (i32.shl (local.get $e) (i32.const 2)))))))
        (local.set $d
          (call $dot2 (local.get $y0) (local.get $y1) (local.get $v) (local.get $k)))
        (local.set $cp (i32.add (local.get $conf) (i32.shl (local.get $e) (i32.const 2))))
        (local.set $c01 (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $cp))))
        (local.set $d
          (f64x2.mul
            (f64x2.sub (f64x2.abs (local.get $c01)) (v128.const f64x2 1 1))
            (local.get $d)))
        (if (local.get $residual)
          (then
            (local.set $d
              (f64x2.sub (f64x2.pmax (v128.const f64x2 0 0) (local.get $c01)) (local.get $d)))))
        (call $axpy2
          (f64x2.extract_lane 0 (local.get $d)) (local.get $y0)
          (f64x2.extract_lane 1 (local.get $d)) (local.get $y1)
          (local.get $out) (local.get $k))
        (local.set $e (i32.add (local.get $e) (i32.const 2)))
        (br $pair)))
    (if (i32.lt_s (local.get $e) (local.get $e1))
      (then
        (local.set $y0
          (i32.add (local.get $y)
            (i32.mul (local.get $rowBytes)
              (i32.load (i32.add (local.get $indices) (i32.shl (local.get $e) (i32.const 2)))))))
        (local.set $c
          (f64.promote_f32
            (f32.load (i32.add (local.get $conf) (i32.shl (local.get $e) (i32.const 2))))))
        (local.set $t0
          (f64.mul
            (f64.sub (f64.abs (local.get $c)) (f64.const 1))
            (call $dot (local.get $y0) (local.get $v) (local.get $k))))
        (if (local.get $residual)
          (then
            (local.set $t0
              (f64.sub
                (select (local.get $c) (f64.const 0) (f64.gt (local.get $c) (f64.const 0)))
                (local.get $t0)))))
        (call $axpy1 (local.get $t0) (local.get $y0) (local.get $out) (local.get $k)))))

  (func (export "residualPart")
    (param $indices i32) (param $e0 i32) (param $e1 i32) (param $conf i32)
    (param $y i32) (param $v i32) (param $out i32) (param $k i32)
    (call $sparse (i32.const 1) (local.get $indices) (local.get $e0) (local.get $e1)
      (local.get $conf) (local.get $y) (local.get $v) (local.get $out) (local.get $k)))

  (func (export "productPart")
    (param $indices i32) (param $e0 i32) (param $e1 i32) (param $conf i32)
    (param $y i32) (param $v i32) (param $out i32) (param $k i32)
    (call $sparse (i32.const 0) (local.get $indices) (local.get $e0) (local.get $e1)
      (local.get $conf) (local.get $y) (local.get $v) (local.get $out) (local.get $k)))

  ;; One pass of the Gram update over output rows [r0, r1), upper triangle
  ;; (gramUpperRows): for rows p of `a` taken in pairs (p0, p1) [then (p2, p3)],
  ;;   g[i·k + j] += u0·a[p0, j] + u1·a[p1, j]   (then += u2·a[p2, j] + u3·a[p3, j])
  ;; for j ≥ i, lanes over j. With $quad = 1 two consecutive pairs are applied
  ;; to each g entry in turn without storing in between: the same operations,
  ;; in the same order, as two pair passes.
  (func $gramPass (param $quad i32) (param $pa0 i32) (param $rb i32)
    (param $k i32) (param $r0 i32) (param $r1 i32) (param $g i32)
    (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $i i32)
    (local $j i32) (local $off i32) (local $gp i32)
    (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128)
    (local $gv v128) (local $gs f64)
    (local.set $pa1 (i32.add (local.get $pa0) (local.get $rb)))
    (local.set $pa2 (i32.add (local.get $pa1) (local.get $rb)))
    (local.set $pa3 (i32.add (local.get $pa2) (local.get $rb)))
    (local.set $i (local.get $r0))
    (block $idone
      (loop $irow
        (br_if $idone (i32.ge_s (local.get $i) (local.get $r1)))
        (local.set $off (i32.shl (local.get $i) (i32.const 3)))
        (local.set $u0 (v128.load64_splat (i32.add (local.get $pa0) (local.get $off))))
        (local.set $u1 (v128.load64_splat (i32.add (local.get $pa1) (local.get $off))))
        (local.set $u2 (v128.load64_splat (i32.add (local.get $pa2) (local.get $off))))
        (local.set $u3 (v128.load64_splat (i32.add (local.get $pa3) (local.get $off))))
        (local.set $gp
          (i32.add (local.get $g)
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $k)) (local.get $i))
              (i32.const 3))))
        (local.set $j (local.get $i))
        (block $jdone
          (loop $jp
            (br_if $jdone (i32.ge_s (i32.add (local.get $j) (i32.const 1)) (local.get $k)))
            (local.set $gv
              (f64x2.add (v128.load (local.get $gp))
                (f64x2.add
                  (f64x2.mul (local.get $u0) (v128.load (i32.add (local.get $pa0) (local.get $off))))
                  (f64x2.mul (local.get $u1) (v128.load (i32.add (local.get $pa1) (local.get $off)))))))
            (if (local.get $quad)
              (then
                (local.set $gv
                  (f64x2.add (local.get $gv)
                    (f64x2.add
                      (f64x2.mul (local.get $u2) (v128.load (i32.add (local.get $pa2) (local.get $off))))
                      (f64x2.mul (local.get $u3) (v128.load (i32.add (local.get $pa3) (local.get $off)))))))))
            (v128.store (local.get $gp) (local.get $gv))
            (local.set $gp (i32.add (local.get $gp) (i32.const 16)))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jp)))
        (if (i32.lt_s (local.get $j) (local.get $k))
          (then
            (local.set $gs
              (f64.add (f64.load (local.get $gp))
                (f64.add
                  (f64.mul (f64x2.extract_lane 0 (local.get $u0))
                    (f64.load (i32.add (local.get $pa0) (local.get $off))))
                  (f64.mul (f64x2.extract_lane 0 (local.get $u1))
                    (f64.load (i32.add (local.get $pa1) (local.get $off)))))))
            (if (local.get $quad)
              (then
                (local.set $gs
                  (f64.add (local.get $gs)
                    (f64.add
                      (f64.mul (f64x2.extract_lane 0 (local.get $u2))
                        (f64.load (i32.add (local.get $pa2) (local.get $off))))
                      (f64.mul (f64x2.extract_lane 0 (local.get $u3))
                        (f64.load (i32.add (local.get $pa3) (local.get $off)))))))))
            (f64.store (local.get $gp) (local.get $gs))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $irow))))

  ;; gramUpperRows after the caller zeroed the rows: g[i·k + j] (rowStart ≤ i
  ;; < rowEnd, j ≥ i) accumulates the n rows of `a` pairwise in index order,
  ;; then a last odd row alone.
  (func (export "gramUpperRows") (param $a i32) (param $n i32) (param $k i32)
    (param $r0 i32) (param $r1 i32) (param $g i32)
    (local $rb i32) (local $p i32) (local $pa i32) (local $i i32) (local $j i32)
    (local $gp i32) (local $u f64)
    (local.set $rb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $pa (local.get $a))
    (block $qdone
      (loop $q
        (br_if $qdone (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $n)))
        (call $gramPass (i32.const 1) (local.get $pa) (local.get $rb) (local.get $k)
          (local.get $r0) (local.get $r1) (local.get $g))
        (local.set $pa (i32.add (local.get $pa) (i32.shl (local.get $rb) (i32.const 2))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $q)))
    (if (i32.le_s (i32.add (local.get $p) (i32.const 2)) (local.get $n))
      (then
        (call $gramPass (i32.const 0) (local.get $pa) (local.get $rb) (local.get $k)
          (local.get $r0) (local.get $r1) (local.get $g))
        (local.set $pa (i32.add (local.get $pa) (i32.shl (local.get $rb) (i32.const 1))))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))))
    (if (i32.lt_s (local.get $p) (local.get $n))
      (then
        (local.set $i (local.get $r0))
        (block $idone
          (loop $irow
            (br_if $idone (i32.ge_s (local.get $i) (local.get $r1)))
            (local.set $u (f64.load (i32.add (local.get $pa) (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $j (local.get $i))
            (block $jdone
              (loop $jl
                (br_if $jdone (i32.ge_s (local.get $j) (local.get $k)))
                (local.set $gp
                  (i32.add (local.get $g)
                    (i32.shl (i32.add (i32.mul (local.get $i) (local.get $k)) (local.get $j))
                      (i32.const 3))))
                (f64.store (local.get $gp)
                  (f64.add (f64.load (local.get $gp))
                    (f64.mul (local.get $u)
                      (f64.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 3)))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $jl)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $irow))))))
)
