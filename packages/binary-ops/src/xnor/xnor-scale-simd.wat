;; The read-out of the XNOR GEMM (xnor-gemm-simd.wat), WebAssembly SIMD, in the GEMM module's own memory (imported):
;; out[r*n + j] = (length - 2 * pop[r*n + j]) * alpha[j] + bias[j] as float32, four columns at a time. `out` may be
;; `pop` itself (same size): each value is read before it is overwritten. Integer dot products stay exact up to the
;; int->float conversion (|dot| < 2^24); the multiply and the add each round once.
(module
  (import "gemm" "memory" (memory 1))
  (func (export "scale") (param $pop i32) (param $out i32) (param $rows i32) (param $n i32) (param $length i32) (param $alpha i32) (param $bias i32)
    (local $r i32) (local $j i32) (local $vn i32) (local $len v128) (local $d v128)
    (local.set $len (i32x4.splat (local.get $length)))
    (local.set $vn (i32.and (local.get $n) (i32.const -4)))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $vec_done (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $j) (local.get $vn)))
        (local.set $d (i32x4.sub (local.get $len) (i32x4.shl (v128.load (local.get $pop)) (i32.const 1))))
        (v128.store (local.get $out)
          (f32x4.add
            (f32x4.mul (f32x4.convert_i32x4_s (local.get $d)) (v128.load (i32.add (local.get $alpha) (i32.shl (local.get $j) (i32.const 2)))))
            (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $pop (i32.add (local.get $pop) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vec)))
      ;; n % 4 tail
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $j) (local.get $n)))
        (f32.store (local.get $out)
          (f32.add
            (f32.mul
              (f32.convert_i32_s (i32.sub (local.get $length) (i32.shl (i32.load (local.get $pop)) (i32.const 1))))
              (f32.load (i32.add (local.get $alpha) (i32.shl (local.get $j) (i32.const 2)))))
            (f32.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $pop (i32.add (local.get $pop) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))
)
