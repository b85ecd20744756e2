;; WebAssembly SIMD kernels of implicit-feedback ALS (lib/models/als/_kernel.ts).
;;
;; Factor rows are float32, ks = k rounded up to a multiple of 4 floats apart
;; (16-byte aligned rows, zero padding), so every vector loop runs over whole
;; f32x4 vectors. CG works in float32 as implicit's float32 BLAS does; every
;; kernel computes exactly the operations of its scalar TypeScript twin (which
;; rounds each step with Math.fround), in the same order, so results are
;; bit-identical: lane l of a dot product's accumulator sums the terms
;; j ≡ l (mod 4) in j order and the lanes are combined as (l0 + l1) + (l2 + l3).
;; No fused multiply-add is used. The Gram matrix is accumulated in float64
;; from the float32 rows (products of two float32 are exact in float64).
;; Pointers are byte offsets into the imported memory.
;;
;; Regenerate lib/models/als/als_simd_wasm.ts after editing:
;;   deno run --allow-read --allow-write=lib lib/wasm/build.ts lib/models/als/als_simd.wat
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; (s0 + s1) + (s2 + s3) of the lanes of $s.
  (func $hsum (param $s v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
      (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s)))))

  ;; Σ_j a[j]·b[j] over j < ks: lane l sums j ≡ l (mod 4) in j order, then $hsum.
  (func $dot (param $a i32) (param $b i32) (param $ks i32) (result f32)
    (local $end i32) (local $s v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $ks) (i32.const 2))))
    (loop $j
      (local.set $s
        (f32x4.add (local.get $s)
          (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $j (i32.lt_u (local.get $a) (local.get $end))))
    (call $hsum (local.get $s)))

  ;; out[a] = Σ_j g[a·ks + j]·v[j] for a < ks, each a sequential sum in j
  ;; order. G is symmetric, so rows a..a+3 at column j are the adjacent
  ;; g[j·ks + a .. a+3]: lanes over a, 32 rows (8 vectors) per pass over j.
  (func $symv (param $g i32) (param $v i32) (param $out i32) (param $ks i32)
    (local $a i32) (local $stride i32) (local $gp i32) (local $vp i32)
    (local $vend i32) (local $vj v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $stride (i32.shl (local.get $ks) (i32.const 2)))
    (local.set $vend (i32.add (local.get $v) (local.get $stride)))
    (block $bdone
      (loop $blk
        (br_if $bdone (i32.gt_s (i32.add (local.get $a) (i32.const 32)) (local.get $ks)))
        (local.set $s0 (v128.const i32x4 0 0 0 0))
        (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $s2 (v128.const i32x4 0 0 0 0))
        (local.set $s3 (v128.const i32x4 0 0 0 0))
        (local.set $s4 (v128.const i32x4 0 0 0 0))
        (local.set $s5 (v128.const i32x4 0 0 0 0))
        (local.set $s6 (v128.const i32x4 0 0 0 0))
        (local.set $s7 (v128.const i32x4 0 0 0 0))
        (local.set $gp (i32.add (local.get $g) (i32.shl (local.get $a) (i32.const 2))))
        (local.set $vp (local.get $v))
        (loop $j
          (local.set $vj (v128.load32_splat (local.get $vp)))
          (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load offset=0 (local.get $gp)) (local.get $vj))))
          (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 (local.get $gp)) (local.get $vj))))
          (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load offset=32 (local.get $gp)) (local.get $vj))))
          (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load offset=48 (local.get $gp)) (local.get $vj))))
          (local.set $s4 (f32x4.add (local.get $s4) (f32x4.mul (v128.load offset=64 (local.get $gp)) (local.get $vj))))
          (local.set $s5 (f32x4.add (local.get $s5) (f32x4.mul (v128.load offset=80 (local.get $gp)) (local.get $vj))))
          (local.set $s6 (f32x4.add (local.get $s6) (f32x4.mul (v128.load offset=96 (local.get $gp)) (local.get $vj))))
          (local.set $s7 (f32x4.add (local.get $s7) (f32x4.mul (v128.load offset=112 (local.get $gp)) (local.get $vj))))
          (local.set $gp (i32.add (local.get $gp) (local.get $stride)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 4)))
          (br_if $j (i32.lt_u (local.get $vp) (local.get $vend))))
        (local.set $gp (i32.add (local.get $out) (i32.shl (local.get $a) (i32.const 2))))
        (v128.store offset=0 (local.get $gp) (local.get $s0))
        (v128.store offset=16 (local.get $gp) (local.get $s1))
        (v128.store offset=32 (local.get $gp) (local.get $s2))
        (v128.store offset=48 (local.get $gp) (local.get $s3))
        (v128.store offset=64 (local.get $gp) (local.get $s4))
        (v128.store offset=80 (local.get $gp) (local.get $s5))
        (v128.store offset=96 (local.get $gp) (local.get $s6))
        (v128.store offset=112 (local.get $gp) (local.get $s7))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (br $blk)))
    (block $done
      (loop $four
        (br_if $done (i32.ge_s (local.get $a) (local.get $ks)))
        (local.set $s0 (v128.const i32x4 0 0 0 0))
        (local.set $gp (i32.add (local.get $g) (i32.shl (local.get $a) (i32.const 2))))
        (local.set $vp (local.get $v))
        (loop $j
          (local.set $s0
            (f32x4.add (local.get $s0)
              (f32x4.mul (v128.load (local.get $gp)) (v128.load32_splat (local.get $vp)))))
          (local.set $gp (i32.add (local.get $gp) (local.get $stride)))
          (local.set $vp (i32.add (local.get $vp) (i32.const 4)))
          (br_if $j (i32.lt_u (local.get $vp) (local.get $vend))))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $a) (i32.const 2)))
          (local.get $s0))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $four))))

  ;; The sparse parts of b − A·v ($residual = 1) and of A·v ($residual = 0)
  ;; over entries [e0, e1) of one row, out += Σ_e t_e · y_e with
  ;;   t_e = c⁺_e − w_e·(y_e·v)  or  w_e·(y_e·v),
  ;; w_e = |c_e| − 1, c⁺_e = c_e if c_e > 0 else 0 (float32). Entries eight
  ;; at a time (their eight dot products, then lanes over j
  ;; out = (((out + (t0·y0 + t1·y1)) + (t2·y2 + t3·y3)) + (t4·y4 + t5·y5)) + (t6·y6 + t7·y7)),
  ;; then four at a time (out = (out + (t0·y0 + t1·y1)) + (t2·y2 + t3·y3)),
  ;; then one at a time (out = out + t·y). Entry e's row is y + 4·ks·indices[e].
  ;; The j loops take four vectors (64 bytes) per turn while they can, with
  ;; constant offsets, then one: the same operations in the same order.
  (func $sparse (param $residual i32) (param $indices i32) (param $e0 i32)
    (param $e1 i32) (param $conf i32) (param $y i32) (param $v i32)
    (param $out i32) (param $ks i32)
    (local $e i32) (local $rb i32) (local $ip i32) (local $j i32)
    (local $y0 i32) (local $y1 i32) (local $y2 i32) (local $y3 i32) (local $y4 i32) (local $y5 i32) (local $y6 i32) (local $y7 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $t4 v128) (local $t5 v128) (local $t6 v128) (local $t7 v128)
    (local $vj v128) (local $d v128) (local $d2 v128) (local $c v128) (local $o v128)
    (local $cs f32) (local $ts f32)
    (local.set $rb (i32.shl (local.get $ks) (i32.const 2)))
    (local.set $e (local.get $e0))
    (block $octdone
      (loop $oct
        (br_if $octdone (i32.gt_s (i32.add (local.get $e) (i32.const 8)) (local.get $e1)))
        (local.set $ip (i32.add (local.get $indices) (i32.shl (local.get $e) (i32.const 2))))
        (local.set $y0 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=0 (local.get $ip)))))
        (local.set $y1 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=4 (local.get $ip)))))
        (local.set $y2 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=8 (local.get $ip)))))
        (local.set $y3 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=12 (local.get $ip)))))
        (local.set $y4 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=16 (local.get $ip)))))
        (local.set $y5 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=20 (local.get $ip)))))
        (local.set $y6 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=24 (local.get $ip)))))
        (local.set $y7 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=28 (local.get $ip)))))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $a4 (v128.const i32x4 0 0 0 0))
        (local.set $a5 (v128.const i32x4 0 0 0 0))
        (local.set $a6 (v128.const i32x4 0 0 0 0))
        (local.set $a7 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $doct4done
          (loop $doct4
            (br_if $doct4done (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $rb)))
            (local.set $vj (v128.load offset=0 (i32.add (local.get $v) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y0) (local.get $j))) (local.get $vj))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y1) (local.get $j))) (local.get $vj))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y2) (local.get $j))) (local.get $vj))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y3) (local.get $j))) (local.get $vj))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y4) (local.get $j))) (local.get $vj))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y5) (local.get $j))) (local.get $vj))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y6) (local.get $j))) (local.get $vj))))
            (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y7) (local.get $j))) (local.get $vj))))
            (local.set $vj (v128.load offset=16 (i32.add (local.get $v) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y0) (local.get $j))) (local.get $vj))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y1) (local.get $j))) (local.get $vj))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y2) (local.get $j))) (local.get $vj))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y3) (local.get $j))) (local.get $vj))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y4) (local.get $j))) (local.get $vj))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y5) (local.get $j))) (local.get $vj))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y6) (local.get $j))) (local.get $vj))))
            (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y7) (local.get $j))) (local.get $vj))))
            (local.set $vj (v128.load offset=32 (i32.add (local.get $v) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y0) (local.get $j))) (local.get $vj))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y1) (local.get $j))) (local.get $vj))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y2) (local.get $j))) (local.get $vj))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y3) (local.get $j))) (local.get $vj))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y4) (local.get $j))) (local.get $vj))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y5) (local.get $j))) (local.get $vj))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y6) (local.get $j))) (local.get $vj))))
            (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y7) (local.get $j))) (local.get $vj))))
            (local.set $vj (v128.load offset=48 (i32.add (local.get $v) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y0) (local.get $j))) (local.get $vj))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y1) (local.get $j))) (local.get $vj))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y2) (local.get $j))) (local.get $vj))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y3) (local.get $j))) (local.get $vj))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y4) (local.get $j))) (local.get $vj))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y5) (local.get $j))) (local.get $vj))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y6) (local.get $j))) (local.get $vj))))
            (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y7) (local.get $j))) (local.get $vj))))
            (local.set $j (i32.add (local.get $j) (i32.const 64)))
            (br $doct4)))
        (block $doct1done
          (loop $doct1
            (br_if $doct1done (i32.ge_u (local.get $j) (local.get $rb)))
            (local.set $vj (v128.load offset=0 (i32.add (local.get $v) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y0) (local.get $j))) (local.get $vj))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y1) (local.get $j))) (local.get $vj))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y2) (local.get $j))) (local.get $vj))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y3) (local.get $j))) (local.get $vj))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y4) (local.get $j))) (local.get $vj))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y5) (local.get $j))) (local.get $vj))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y6) (local.get $j))) (local.get $vj))))
            (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y7) (local.get $j))) (local.get $vj))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $doct1)))
        (local.set $t6 (f32x4.add (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a0) (local.get $a1)) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a0) (local.get $a1))))
        (local.set $t7 (f32x4.add (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a2) (local.get $a3)) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a2) (local.get $a3))))
        (local.set $d (f32x4.add (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $t6) (local.get $t7)) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $t6) (local.get $t7))))
        (local.set $t6 (f32x4.add (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a4) (local.get $a5)) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a4) (local.get $a5))))
        (local.set $t7 (f32x4.add (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a6) (local.get $a7)) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a6) (local.get $a7))))
        (local.set $d2 (f32x4.add (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $t6) (local.get $t7)) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $t6) (local.get $t7))))
        (local.set $c (v128.load offset=0 (i32.add (local.get $conf) (i32.shl (local.get $e) (i32.const 2)))))
        (local.set $d (f32x4.mul (f32x4.sub (f32x4.abs (local.get $c)) (v128.const f32x4 1 1 1 1)) (local.get $d)))
        (if (local.get $residual)
          (then
            (local.set $d (f32x4.sub (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c)) (local.get $d)))))
        (local.set $c (v128.load offset=16 (i32.add (local.get $conf) (i32.shl (local.get $e) (i32.const 2)))))
        (local.set $d2 (f32x4.mul (f32x4.sub (f32x4.abs (local.get $c)) (v128.const f32x4 1 1 1 1)) (local.get $d2)))
        (if (local.get $residual)
          (then
            (local.set $d2 (f32x4.sub (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c)) (local.get $d2)))))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $d) (local.get $d)))
        (local.set $t1 (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $d) (local.get $d)))
        (local.set $t2 (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $d) (local.get $d)))
        (local.set $t3 (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $d) (local.get $d)))
        (local.set $t4 (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $d2) (local.get $d2)))
        (local.set $t5 (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $d2) (local.get $d2)))
        (local.set $t6 (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $d2) (local.get $d2)))
        (local.set $t7 (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $d2) (local.get $d2)))
        (local.set $j (i32.const 0))
        (block $xoct4done
          (loop $xoct4
            (br_if $xoct4done (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $rb)))
            (local.set $o (v128.load offset=0 (i32.add (local.get $out) (local.get $j))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t0) (v128.load offset=0 (i32.add (local.get $y0) (local.get $j)))) (f32x4.mul (local.get $t1) (v128.load offset=0 (i32.add (local.get $y1) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t2) (v128.load offset=0 (i32.add (local.get $y2) (local.get $j)))) (f32x4.mul (local.get $t3) (v128.load offset=0 (i32.add (local.get $y3) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t4) (v128.load offset=0 (i32.add (local.get $y4) (local.get $j)))) (f32x4.mul (local.get $t5) (v128.load offset=0 (i32.add (local.get $y5) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t6) (v128.load offset=0 (i32.add (local.get $y6) (local.get $j)))) (f32x4.mul (local.get $t7) (v128.load offset=0 (i32.add (local.get $y7) (local.get $j)))))))
            (v128.store offset=0 (i32.add (local.get $out) (local.get $j)) (local.get $o))
            (local.set $o (v128.load offset=16 (i32.add (local.get $out) (local.get $j))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t0) (v128.load offset=16 (i32.add (local.get $y0) (local.get $j)))) (f32x4.mul (local.get $t1) (v128.load offset=16 (i32.add (local.get $y1) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t2) (v128.load offset=16 (i32.add (local.get $y2) (local.get $j)))) (f32x4.mul (local.get $t3) (v128.load offset=16 (i32.add (local.get $y3) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t4) (v128.load offset=16 (i32.add (local.get $y4) (local.get $j)))) (f32x4.mul (local.get $t5) (v128.load offset=16 (i32.add (local.get $y5) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t6) (v128.load offset=16 (i32.add (local.get $y6) (local.get $j)))) (f32x4.mul (local.get $t7) (v128.load offset=16 (i32.add (local.get $y7) (local.get $j)))))))
            (v128.store offset=16 (i32.add (local.get $out) (local.get $j)) (local.get $o))
            (local.set $o (v128.load offset=32 (i32.add (local.get $out) (local.get $j))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t0) (v128.load offset=32 (i32.add (local.get $y0) (local.get $j)))) (f32x4.mul (local.get $t1) (v128.load offset=32 (i32.add (local.get $y1) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t2) (v128.load offset=32 (i32.add (local.get $y2) (local.get $j)))) (f32x4.mul (local.get $t3) (v128.load offset=32 (i32.add (local.get $y3) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t4) (v128.load offset=32 (i32.add (local.get $y4) (local.get $j)))) (f32x4.mul (local.get $t5) (v128.load offset=32 (i32.add (local.get $y5) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t6) (v128.load offset=32 (i32.add (local.get $y6) (local.get $j)))) (f32x4.mul (local.get $t7) (v128.load offset=32 (i32.add (local.get $y7) (local.get $j)))))))
            (v128.store offset=32 (i32.add (local.get $out) (local.get $j)) (local.get $o))
            (local.set $o (v128.load offset=48 (i32.add (local.get $out) (local.get $j))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t0) (v128.load offset=48 (i32.add (local.get $y0) (local.get $j)))) (f32x4.mul (local.get $t1) (v128.load offset=48 (i32.add (local.get $y1) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t2) (v128.load offset=48 (i32.add (local.get $y2) (local.get $j)))) (f32x4.mul (local.get $t3) (v128.load offset=48 (i32.add (local.get $y3) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t4) (v128.load offset=48 (i32.add (local.get $y4) (local.get $j)))) (f32x4.mul (local.get $t5) (v128.load offset=48 (i32.add (local.get $y5) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t6) (v128.load offset=48 (i32.add (local.get $y6) (local.get $j)))) (f32x4.mul (local.get $t7) (v128.load offset=48 (i32.add (local.get $y7) (local.get $j)))))))
            (v128.store offset=48 (i32.add (local.get $out) (local.get $j)) (local.get $o))
            (local.set $j (i32.add (local.get $j) (i32.const 64)))
            (br $xoct4)))
        (block $xoct1done
          (loop $xoct1
            (br_if $xoct1done (i32.ge_u (local.get $j) (local.get $rb)))
            (local.set $o (v128.load offset=0 (i32.add (local.get $out) (local.get $j))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t0) (v128.load offset=0 (i32.add (local.get $y0) (local.get $j)))) (f32x4.mul (local.get $t1) (v128.load offset=0 (i32.add (local.get $y1) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t2) (v128.load offset=0 (i32.add (local.get $y2) (local.get $j)))) (f32x4.mul (local.get $t3) (v128.load offset=0 (i32.add (local.get $y3) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t4) (v128.load offset=0 (i32.add (local.get $y4) (local.get $j)))) (f32x4.mul (local.get $t5) (v128.load offset=0 (i32.add (local.get $y5) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t6) (v128.load offset=0 (i32.add (local.get $y6) (local.get $j)))) (f32x4.mul (local.get $t7) (v128.load offset=0 (i32.add (local.get $y7) (local.get $j)))))))
            (v128.store offset=0 (i32.add (local.get $out) (local.get $j)) (local.get $o))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $xoct1)))
        (local.set $e (i32.add (local.get $e) (i32.const 8)))
        (br $oct)))
    (block $quaddone
      (loop $quad
        (br_if $quaddone (i32.gt_s (i32.add (local.get $e) (i32.const 4)) (local.get $e1)))
        (local.set $ip (i32.add (local.get $indices) (i32.shl (local.get $e) (i32.const 2))))
        (local.set $y0 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=0 (local.get $ip)))))
        (local.set $y1 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=4 (local.get $ip)))))
        (local.set $y2 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=8 (local.get $ip)))))
        (local.set $y3 (i32.add (local.get $y) (i32.mul (local.get $rb) (i32.load offset=12 (local.get $ip)))))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $dquad4done
          (loop $dquad4
            (br_if $dquad4done (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $rb)))
            (local.set $vj (v128.load offset=0 (i32.add (local.get $v) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y0) (local.get $j))) (local.get $vj))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y1) (local.get $j))) (local.get $vj))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y2) (local.get $j))) (local.get $vj))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y3) (local.get $j))) (local.get $vj))))
            (local.set $vj (v128.load offset=16 (i32.add (local.get $v) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y0) (local.get $j))) (local.get $vj))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y1) (local.get $j))) (local.get $vj))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y2) (local.get $j))) (local.get $vj))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=16 (i32.add (local.get $y3) (local.get $j))) (local.get $vj))))
            (local.set $vj (v128.load offset=32 (i32.add (local.get $v) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y0) (local.get $j))) (local.get $vj))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y1) (local.get $j))) (local.get $vj))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y2) (local.get $j))) (local.get $vj))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=32 (i32.add (local.get $y3) (local.get $j))) (local.get $vj))))
            (local.set $vj (v128.load offset=48 (i32.add (local.get $v) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y0) (local.get $j))) (local.get $vj))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y1) (local.get $j))) (local.get $vj))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y2) (local.get $j))) (local.get $vj))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=48 (i32.add (local.get $y3) (local.get $j))) (local.get $vj))))
            (local.set $j (i32.add (local.get $j) (i32.const 64)))
            (br $dquad4)))
        (block $dquad1done
          (loop $dquad1
            (br_if $dquad1done (i32.ge_u (local.get $j) (local.get $rb)))
            (local.set $vj (v128.load offset=0 (i32.add (local.get $v) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y0) (local.get $j))) (local.get $vj))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y1) (local.get $j))) (local.get $vj))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y2) (local.get $j))) (local.get $vj))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=0 (i32.add (local.get $y3) (local.get $j))) (local.get $vj))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $dquad1)))
        (local.set $t6 (f32x4.add (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a0) (local.get $a1)) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a0) (local.get $a1))))
        (local.set $t7 (f32x4.add (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a2) (local.get $a3)) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a2) (local.get $a3))))
        (local.set $d (f32x4.add (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $t6) (local.get $t7)) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $t6) (local.get $t7))))
        (local.set $c (v128.load offset=0 (i32.add (local.get $conf) (i32.shl (local.get $e) (i32.const 2)))))
        (local.set $d (f32x4.mul (f32x4.sub (f32x4.abs (local.get $c)) (v128.const f32x4 1 1 1 1)) (local.get $d)))
        (if (local.get $residual)
          (then
            (local.set $d (f32x4.sub (f32x4.pmax (v128.const i32x4 0 0 0 0) (local.get $c)) (local.get $d)))))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $d) (local.get $d)))
        (local.set $t1 (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $d) (local.get $d)))
        (local.set $t2 (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $d) (local.get $d)))
        (local.set $t3 (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $d) (local.get $d)))
        (local.set $j (i32.const 0))
        (block $xquad4done
          (loop $xquad4
            (br_if $xquad4done (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $rb)))
            (local.set $o (v128.load offset=0 (i32.add (local.get $out) (local.get $j))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t0) (v128.load offset=0 (i32.add (local.get $y0) (local.get $j)))) (f32x4.mul (local.get $t1) (v128.load offset=0 (i32.add (local.get $y1) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t2) (v128.load offset=0 (i32.add (local.get $y2) (local.get $j)))) (f32x4.mul (local.get $t3) (v128.load offset=0 (i32.add (local.get $y3) (local.get $j)))))))
            (v128.store offset=0 (i32.add (local.get $out) (local.get $j)) (local.get $o))
            (local.set $o (v128.load offset=16 (i32.add (local.get $out) (local.get $j))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t0) (v128.load offset=16 (i32.add (local.get $y0) (local.get $j)))) (f32x4.mul (local.get $t1) (v128.load offset=16 (i32.add (local.get $y1) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t2) (v128.load offset=16 (i32.add (local.get $y2) (local.get $j)))) (f32x4.mul (local.get $t3) (v128.load offset=16 (i32.add (local.get $y3) (local.get $j)))))))
            (v128.store offset=16 (i32.add (local.get $out) (local.get $j)) (local.get $o))
            (local.set $o (v128.load offset=32 (i32.add (local.get $out) (local.get $j))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t0) (v128.load offset=32 (i32.add (local.get $y0) (local.get $j)))) (f32x4.mul (local.get $t1) (v128.load offset=32 (i32.add (local.get $y1) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t2) (v128.load offset=32 (i32.add (local.get $y2) (local.get $j)))) (f32x4.mul (local.get $t3) (v128.load offset=32 (i32.add (local.get $y3) (local.get $j)))))))
            (v128.store offset=32 (i32.add (local.get $out) (local.get $j)) (local.get $o))
            (local.set $o (v128.load offset=48 (i32.add (local.get $out) (local.get $j))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t0) (v128.load offset=48 (i32.add (local.get $y0) (local.get $j)))) (f32x4.mul (local.get $t1) (v128.load offset=48 (i32.add (local.get $y1) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t2) (v128.load offset=48 (i32.add (local.get $y2) (local.get $j)))) (f32x4.mul (local.get $t3) (v128.load offset=48 (i32.add (local.get $y3) (local.get $j)))))))
            (v128.store offset=48 (i32.add (local.get $out) (local.get $j)) (local.get $o))
            (local.set $j (i32.add (local.get $j) (i32.const 64)))
            (br $xquad4)))
        (block $xquad1done
          (loop $xquad1
            (br_if $xquad1done (i32.ge_u (local.get $j) (local.get $rb)))
            (local.set $o (v128.load offset=0 (i32.add (local.get $out) (local.get $j))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t0) (v128.load offset=0 (i32.add (local.get $y0) (local.get $j)))) (f32x4.mul (local.get $t1) (v128.load offset=0 (i32.add (local.get $y1) (local.get $j)))))))
            (local.set $o (f32x4.add (local.get $o) (f32x4.add (f32x4.mul (local.get $t2) (v128.load offset=0 (i32.add (local.get $y2) (local.get $j)))) (f32x4.mul (local.get $t3) (v128.load offset=0 (i32.add (local.get $y3) (local.get $j)))))))
            (v128.store offset=0 (i32.add (local.get $out) (local.get $j)) (local.get $o))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $xquad1)))
        (local.set $e (i32.add (local.get $e) (i32.const 4)))
        (br $quad)))
    (block $sdone
      (loop $single
        (br_if $sdone (i32.ge_s (local.get $e) (local.get $e1)))
        (local.set $y0
          (i32.add (local.get $y)
            (i32.mul (local.get $rb)
              (i32.load (i32.add (local.get $indices) (i32.shl (local.get $e) (i32.const 2)))))))
        (local.set $cs (f32.load (i32.add (local.get $conf) (i32.shl (local.get $e) (i32.const 2)))))
        (local.set $ts
          (f32.mul
            (f32.sub (f32.abs (local.get $cs)) (f32.const 1))
            (call $dot (local.get $y0) (local.get $v) (local.get $ks))))
        (if (local.get $residual)
          (then
            (local.set $ts
              (f32.sub
                (select (local.get $cs) (f32.const 0) (f32.gt (local.get $cs) (f32.const 0)))
                (local.get $ts)))))
        (local.set $t0 (f32x4.splat (local.get $ts)))
        (local.set $j (i32.const 0))
        (loop $aj
          (local.set $ip (i32.add (local.get $out) (local.get $j)))
          (v128.store (local.get $ip)
            (f32x4.add (v128.load (local.get $ip))
              (f32x4.mul (local.get $t0) (v128.load (i32.add (local.get $y0) (local.get $j))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $aj (i32.lt_u (local.get $j) (local.get $rb))))
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (br $single))))

  ;; CG update of rows [start, end) of x (cgSolveRows in _kernel.ts): per row
  ;; u with entries [e0, e1): r = −G·x_u + sparse residual, p = r, rs = r·r;
  ;; unless rs < 1e-20, up to `steps` steps of ap = G·p + sparse product,
  ;; α = rs / (p·ap), x += α·p, r −= α·ap, rs' = r·r (stop when < 1e-20),
  ;; p = r + (rs'/rs)·p. Rows without entries are zeroed. Scratch: 3·ks f32.
  (func (export "cgRows") (param $indptr i32) (param $indices i32)
    (param $conf i32) (param $x i32) (param $y i32) (param $g i32)
    (param $ks i32) (param $steps i32) (param $start i32) (param $end i32)
    (param $scratch i32)
    (local $u i32) (local $e0 i32) (local $e1 i32) (local $xu i32) (local $rb i32)
    (local $r i32) (local $p i32) (local $ap i32) (local $j i32) (local $it i32)
    (local $rs f32) (local $rsnew f32) (local $av v128) (local $rv v128)
    (local $s v128)
    (local.set $rb (i32.shl (local.get $ks) (i32.const 2)))
    (local.set $r (local.get $scratch))
    (local.set $p (i32.add (local.get $r) (local.get $rb)))
    (local.set $ap (i32.add (local.get $p) (local.get $rb)))
    (local.set $u (local.get $start))
    (block $udone
      (loop $row
        (br_if $udone (i32.ge_s (local.get $u) (local.get $end)))
        (local.set $e0 (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
        (local.set $e1 (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
        (local.set $xu (i32.add (local.get $x) (i32.mul (local.get $u) (local.get $rb))))
        (if (i32.eq (local.get $e0) (local.get $e1))
          (then
            (local.set $j (i32.const 0))
            (loop $z
              (v128.store (i32.add (local.get $xu) (local.get $j)) (v128.const i32x4 0 0 0 0))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br_if $z (i32.lt_u (local.get $j) (local.get $rb)))))
          (else
            (call $symv (local.get $g) (local.get $xu) (local.get $r) (local.get $ks))
            (local.set $j (i32.const 0))
            (loop $neg
              (v128.store (i32.add (local.get $r) (local.get $j))
                (f32x4.neg (v128.load (i32.add (local.get $r) (local.get $j)))))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br_if $neg (i32.lt_u (local.get $j) (local.get $rb))))
            (call $sparse (i32.const 1) (local.get $indices) (local.get $e0) (local.get $e1)
              (local.get $conf) (local.get $y) (local.get $xu) (local.get $r) (local.get $ks))
            (local.set $j (i32.const 0))
            (loop $cp
              (v128.store (i32.add (local.get $p) (local.get $j))
                (v128.load (i32.add (local.get $r) (local.get $j))))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br_if $cp (i32.lt_u (local.get $j) (local.get $rb))))
            (local.set $rs (call $dot (local.get $r) (local.get $r) (local.get $ks)))
            (if (i32.eqz (f64.lt (f64.promote_f32 (local.get $rs)) (f64.const 1e-20)))
              (then
                (local.set $it (i32.const 0))
                (block $cgdone
                  (loop $step
                    (br_if $cgdone (i32.ge_s (local.get $it) (local.get $steps)))
                    (call $symv (local.get $g) (local.get $p) (local.get $ap) (local.get $ks))
                    (call $sparse (i32.const 0) (local.get $indices) (local.get $e0) (local.get $e1)
                      (local.get $conf) (local.get $y) (local.get $p) (local.get $ap) (local.get $ks))
                    (local.set $av
                      (f32x4.splat
                        (f32.div (local.get $rs)
                          (call $dot (local.get $p) (local.get $ap) (local.get $ks)))))
                    (local.set $s (v128.const i32x4 0 0 0 0))
                    (local.set $j (i32.const 0))
                    (loop $upd
                      (v128.store (i32.add (local.get $xu) (local.get $j))
                        (f32x4.add (v128.load (i32.add (local.get $xu) (local.get $j)))
                          (f32x4.mul (local.get $av) (v128.load (i32.add (local.get $p) (local.get $j))))))
                      (local.set $rv
                        (f32x4.sub (v128.load (i32.add (local.get $r) (local.get $j)))
                          (f32x4.mul (local.get $av) (v128.load (i32.add (local.get $ap) (local.get $j))))))
                      (v128.store (i32.add (local.get $r) (local.get $j)) (local.get $rv))
                      (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $rv) (local.get $rv))))
                      (local.set $j (i32.add (local.get $j) (i32.const 16)))
                      (br_if $upd (i32.lt_u (local.get $j) (local.get $rb))))
                    (local.set $rsnew (call $hsum (local.get $s)))
                    (br_if $cgdone (f64.lt (f64.promote_f32 (local.get $rsnew)) (f64.const 1e-20)))
                    (local.set $av (f32x4.splat (f32.div (local.get $rsnew) (local.get $rs))))
                    (local.set $j (i32.const 0))
                    (loop $dir
                      (v128.store (i32.add (local.get $p) (local.get $j))
                        (f32x4.add (v128.load (i32.add (local.get $r) (local.get $j)))
                          (f32x4.mul (local.get $av) (v128.load (i32.add (local.get $p) (local.get $j))))))
                      (local.set $j (i32.add (local.get $j) (i32.const 16)))
                      (br_if $dir (i32.lt_u (local.get $j) (local.get $rb))))
                    (local.set $rs (local.get $rsnew))
                    (local.set $it (i32.add (local.get $it) (i32.const 1)))
                    (br $step)))))))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br $row))))

  ;; One pass of the Gram update over output rows [r0, r1), upper triangle
  ;; (gramUpperRows): for float32 rows p of `a` (stride rb bytes) taken in
  ;; pairs (p0, p1) [then (p2, p3)], in float64,
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
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $u0 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $pa0) (local.get $off))))))
        (local.set $u1 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $pa1) (local.get $off))))))
        (local.set $u2 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $pa2) (local.get $off))))))
        (local.set $u3 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $pa3) (local.get $off))))))
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
                  (f64x2.mul (local.get $u0)
                    (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $pa0) (local.get $off)))))
                  (f64x2.mul (local.get $u1)
                    (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $pa1) (local.get $off))))))))
            (if (local.get $quad)
              (then
                (local.set $gv
                  (f64x2.add (local.get $gv)
                    (f64x2.add
                      (f64x2.mul (local.get $u2)
                        (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $pa2) (local.get $off)))))
                      (f64x2.mul (local.get $u3)
                        (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $pa3) (local.get $off))))))))))
            (v128.store (local.get $gp) (local.get $gv))
            (local.set $gp (i32.add (local.get $gp) (i32.const 16)))
            (local.set $off (i32.add (local.get $off) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jp)))
        (if (i32.lt_s (local.get $j) (local.get $k))
          (then
            (local.set $gs
              (f64.add (f64.load (local.get $gp))
                (f64.add
                  (f64.mul (f64x2.extract_lane 0 (local.get $u0))
                    (f64.promote_f32 (f32.load (i32.add (local.get $pa0) (local.get $off)))))
                  (f64.mul (f64x2.extract_lane 0 (local.get $u1))
                    (f64.promote_f32 (f32.load (i32.add (local.get $pa1) (local.get $off))))))))
            (if (local.get $quad)
              (then
                (local.set $gs
                  (f64.add (local.get $gs)
                    (f64.add
                      (f64.mul (f64x2.extract_lane 0 (local.get $u2))
                        (f64.promote_f32 (f32.load (i32.add (local.get $pa2) (local.get $off)))))
                      (f64.mul (f64x2.extract_lane 0 (local.get $u3))
                        (f64.promote_f32 (f32.load (i32.add (local.get $pa3) (local.get $off))))))))))
            (f64.store (local.get $gp) (local.get $gs))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $irow))))

  ;; gramUpperRows after the caller zeroed the rows: g[i·k + j] (float64,
  ;; rowStart ≤ i < rowEnd, j ≥ i) accumulates the n float32 rows of `a`
  ;; (ks floats apart) pairwise in index order, then a last odd row alone.
  (func (export "gramUpperRows") (param $a i32) (param $n i32) (param $k i32)
    (param $ks i32) (param $r0 i32) (param $r1 i32) (param $g i32)
    (local $rb i32) (local $p i32) (local $pa i32) (local $i i32) (local $j i32)
    (local $gp i32) (local $u f64)
    (local.set $rb (i32.shl (local.get $ks) (i32.const 2)))
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
            (local.set $u (f64.promote_f32 (f32.load (i32.add (local.get $pa) (i32.shl (local.get $i) (i32.const 2))))))
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
                      (f64.promote_f32 (f32.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $jl)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $irow))))))
)
