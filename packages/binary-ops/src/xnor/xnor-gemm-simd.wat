;; XNOR-popcount GEMM, WebAssembly SIMD.
;; out[i*n + j] = popcount(A[i] xor B[j]) summed over the row, for sign-packed rows of `vecs` v128 words each.
;; A is m rows, B is n rows, both row-major with a stride of vecs*16 bytes; padding bits are 0 in both, so they add 0.
;; The dot product of the +-1 vectors is then k - 2*out (done by the caller, which knows k).
(module
  (memory (export "memory") 1)

  ;; Horizontal sum of the eight u16 lanes of a popcount accumulator.
  (func $sum16 (param $v v128) (result i32)
    (local $w v128)
    (local.set $w (i32x4.extadd_pairwise_i16x8_u (local.get $v)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $w)) (i32x4.extract_lane 1 (local.get $w)))
      (i32.add (i32x4.extract_lane 2 (local.get $w)) (i32x4.extract_lane 3 (local.get $w)))))

  (func (export "gemm") (param $a i32) (param $b i32) (param $out i32) (param $m i32) (param $n i32) (param $vecs i32)
    (local $i i32) (local $j i32) (local $k i32) (local $stride i32)
    (local $pa i32) (local $pb0 i32) (local $pb1 i32) (local $pb2 i32) (local $pb3 i32) (local $po i32)
    (local $x v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $stride (i32.shl (local.get $vecs) (i32.const 4)))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $po (i32.add (local.get $out) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
        (local.set $j (i32.const 0))
        ;; four B rows at a time: each A word is loaded once for four dot products
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $stride))))
            (local.set $pb0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $stride))))
            (local.set $pb1 (i32.add (local.get $pb0) (local.get $stride)))
            (local.set $pb2 (i32.add (local.get $pb1) (local.get $stride)))
            (local.set $pb3 (i32.add (local.get $pb2) (local.get $stride)))
            (local.set $c0 (v128.const i32x4 0 0 0 0))
            (local.set $c1 (v128.const i32x4 0 0 0 0))
            (local.set $c2 (v128.const i32x4 0 0 0 0))
            (local.set $c3 (v128.const i32x4 0 0 0 0))
            (local.set $k (local.get $vecs))
            (block $inner_done
              (loop $inner
                (br_if $inner_done (i32.eqz (local.get $k)))
                (local.set $x (v128.load (local.get $pa)))
                (local.set $c0 (i16x8.add (local.get $c0) (i16x8.extadd_pairwise_i8x16_u (i8x16.popcnt (v128.xor (local.get $x) (v128.load (local.get $pb0)))))))
                (local.set $c1 (i16x8.add (local.get $c1) (i16x8.extadd_pairwise_i8x16_u (i8x16.popcnt (v128.xor (local.get $x) (v128.load (local.get $pb1)))))))
                (local.set $c2 (i16x8.add (local.get $c2) (i16x8.extadd_pairwise_i8x16_u (i8x16.popcnt (v128.xor (local.get $x) (v128.load (local.get $pb2)))))))
                (local.set $c3 (i16x8.add (local.get $c3) (i16x8.extadd_pairwise_i8x16_u (i8x16.popcnt (v128.xor (local.get $x) (v128.load (local.get $pb3)))))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
                (local.set $pb0 (i32.add (local.get $pb0) (i32.const 16)))
                (local.set $pb1 (i32.add (local.get $pb1) (i32.const 16)))
                (local.set $pb2 (i32.add (local.get $pb2) (i32.const 16)))
                (local.set $pb3 (i32.add (local.get $pb3) (i32.const 16)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $inner)))
            (i32.store (local.get $po) (call $sum16 (local.get $c0)))
            (i32.store offset=4 (local.get $po) (call $sum16 (local.get $c1)))
            (i32.store offset=8 (local.get $po) (call $sum16 (local.get $c2)))
            (i32.store offset=12 (local.get $po) (call $sum16 (local.get $c3)))
            (local.set $po (i32.add (local.get $po) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $quads)))
        ;; the last n % 4 B rows one at a time
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $stride))))
            (local.set $pb0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $stride))))
            (local.set $c0 (v128.const i32x4 0 0 0 0))
            (local.set $k (local.get $vecs))
            (block $t_done
              (loop $t
                (br_if $t_done (i32.eqz (local.get $k)))
                (local.set $c0 (i16x8.add (local.get $c0) (i16x8.extadd_pairwise_i8x16_u (i8x16.popcnt (v128.xor (v128.load (local.get $pa)) (v128.load (local.get $pb0)))))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
                (local.set $pb0 (i32.add (local.get $pb0) (i32.const 16)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $t)))
            (i32.store (local.get $po) (call $sum16 (local.get $c0)))
            (local.set $po (i32.add (local.get $po) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
