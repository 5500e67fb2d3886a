;; Sign packing of NHWC activations for the XNOR kernels, WebAssembly SIMD: per pixel, bit k of word w is 1 where
;; channel 32w+k counts as -1, i.e. x < threshold (x > threshold where the channel's BatchNorm scale is negative:
;; negate mask all ones). Zero thresholds give the plain sign with sign(0) = +1 (-0 too: -0 < 0 is false).
;; Four channels per compare and i32x4.bitmask, no branch per value (random signs mispredict). Channels past the
;; last multiple of 4 are done one at a time. Layout: x f32[pixels*c], thr f32[c], neg i32[c], out u32[pixels*wpp].
(module
  (memory (export "memory") 1)
  (func (export "pack") (param $x i32) (param $pixels i32) (param $c i32) (param $wpp i32) (param $thr i32) (param $neg i32) (param $out i32)
    (local $p i32) (local $ci i32) (local $bits i32) (local $vc i32) (local $v f32) (local $t f32)
    (local.set $vc (i32.and (local.get $c) (i32.const -4)))
    (block $pixels_done (loop $pixels
      (br_if $pixels_done (i32.ge_u (local.get $p) (local.get $pixels)))
      (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $wpp) (i32.const 2)))
      (local.set $ci (i32.const 0))
      (block $vec_done (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $ci) (local.get $vc)))
        (local.set $bits (i32x4.bitmask
          (v128.bitselect
            (f32x4.gt (v128.load (local.get $x)) (v128.load (i32.add (local.get $thr) (i32.shl (local.get $ci) (i32.const 2)))))
            (f32x4.lt (v128.load (local.get $x)) (v128.load (i32.add (local.get $thr) (i32.shl (local.get $ci) (i32.const 2)))))
            (v128.load (i32.add (local.get $neg) (i32.shl (local.get $ci) (i32.const 2)))))))
        ;; word ci/32 gets the 4 bits at position ci%32
        (i32.store
          (i32.add (local.get $out) (i32.shl (i32.shr_u (local.get $ci) (i32.const 5)) (i32.const 2)))
          (i32.or
            (i32.load (i32.add (local.get $out) (i32.shl (i32.shr_u (local.get $ci) (i32.const 5)) (i32.const 2))))
            (i32.shl (local.get $bits) (i32.and (local.get $ci) (i32.const 31)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $ci (i32.add (local.get $ci) (i32.const 4)))
        (br $vec)))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $ci) (local.get $c)))
        (local.set $v (f32.load (local.get $x)))
        (local.set $t (f32.load (i32.add (local.get $thr) (i32.shl (local.get $ci) (i32.const 2)))))
        (if (select (f32.gt (local.get $v) (local.get $t)) (f32.lt (local.get $v) (local.get $t))
              (i32.load (i32.add (local.get $neg) (i32.shl (local.get $ci) (i32.const 2)))))
          (then
            (i32.store
              (i32.add (local.get $out) (i32.shl (i32.shr_u (local.get $ci) (i32.const 5)) (i32.const 2)))
              (i32.or
                (i32.load (i32.add (local.get $out) (i32.shl (i32.shr_u (local.get $ci) (i32.const 5)) (i32.const 2))))
                (i32.shl (i32.const 1) (i32.and (local.get $ci) (i32.const 31)))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
        (br $tail)))
      (local.set $out (i32.add (local.get $out) (i32.shl (local.get $wpp) (i32.const 2))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $pixels)))))
