;; Scatter convolution for sparse float inputs without SIMD: the fallback for engines without WebAssembly SIMD.
;; Same exports and contract as sparse-conv-simd.wat (read it for the method); every update is one f32 at a time.
(module
  (memory (export "memory") 1)

  ;; out[p*o + j] = bias[j] for every position p < positions (no bulk-memory copy: older engines lack it too)
  (func (export "fill_bias") (param $out i32) (param $bias i32) (param $positions i32) (param $o i32)
    (local $end i32) (local $j i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (i32.mul (local.get $positions) (local.get $o)) (i32.const 2))))
    (block $done
      (loop $values
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out) (f32.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (if (i32.eq (local.get $j) (local.get $o)) (then (local.set $j (i32.const 0))))
        (br $values))))

  ;; out[i] = max(out[i], 0) for i < count
  (func (export "relu") (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $scalars
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out) (f32.max (f32.load (local.get $out)) (f32.const 0)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $scalars))))

  ;; first output index whose window (stride s, size k) reaches padded input index t: ceil((t - k + 1) / s), >= 0
  (func $first (param $t i32) (param $k i32) (param $s i32) (result i32)
    (local $d i32)
    (local.set $d (i32.sub (i32.add (local.get $t) (i32.const 1)) (local.get $k)))
    (if (result i32) (i32.le_s (local.get $d) (i32.const 0))
      (then (i32.const 0))
      (else (i32.div_u (i32.sub (i32.add (local.get $d) (local.get $s)) (i32.const 1)) (local.get $s)))))

  ;; one past the last output index whose window holds padded input index t: min(t / s + 1, size)
  (func $end (param $t i32) (param $s i32) (param $size i32) (result i32)
    (local $e i32)
    (local.set $e (i32.add (i32.div_u (local.get $t) (local.get $s)) (i32.const 1)))
    (select (local.get $e) (local.get $size) (i32.lt_u (local.get $e) (local.get $size))))

  ;; out += scatter(x, W); returns the number of nonzero inputs it scattered
  (func (export "scatter")
    (param $x i32) (param $w i32) (param $out i32)
    (param $n i32) (param $h i32) (param $wd i32) (param $c i32)
    (param $oh i32) (param $ow i32) (param $o i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $padTop i32) (param $padLeft i32)
    (result i32)
    (local $b i32) (local $iy i32) (local $ix i32) (local $ci i32)
    (local $oy i32) (local $oy0 i32) (local $oy1 i32) (local $ox i32) (local $ox0 i32) (local $ox1 i32)
    (local $ty i32) (local $tx i32) (local $px i32) (local $v f32)
    (local $pw i32) (local $po i32) (local $j i32) (local $row i32) (local $nnz i32)
    (local $outImage i32)
    (local.set $row (i32.shl (local.get $o) (i32.const 2)))
    (local.set $px (local.get $x))
    (local.set $b (i32.const 0))
    (block $images_done (loop $images
      (br_if $images_done (i32.ge_u (local.get $b) (local.get $n)))
      (local.set $outImage (i32.add (local.get $out)
        (i32.mul (i32.mul (i32.mul (local.get $b) (local.get $oh)) (local.get $ow)) (local.get $row))))
      (local.set $iy (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $iy) (local.get $h)))
        (local.set $ty (i32.add (local.get $iy) (local.get $padTop)))
        (local.set $oy0 (call $first (local.get $ty) (local.get $kh) (local.get $sh)))
        (local.set $oy1 (call $end (local.get $ty) (local.get $sh) (local.get $oh)))
        (local.set $ix (i32.const 0))
        (block $cols_done (loop $cols
          (br_if $cols_done (i32.ge_u (local.get $ix) (local.get $wd)))
          (local.set $tx (i32.add (local.get $ix) (local.get $padLeft)))
          (local.set $ci (i32.const 0))
          (block $channels_done (loop $channels
            (br_if $channels_done (i32.ge_u (local.get $ci) (local.get $c)))
            (local.set $v (f32.load (local.get $px)))
            (local.set $px (i32.add (local.get $px) (i32.const 4)))
            (if (f32.ne (local.get $v) (f32.const 0)) (then
              (local.set $nnz (i32.add (local.get $nnz) (i32.const 1)))
              (local.set $ox0 (call $first (local.get $tx) (local.get $kw) (local.get $sw)))
              (local.set $ox1 (call $end (local.get $tx) (local.get $sw) (local.get $ow)))
              (local.set $oy (local.get $oy0))
              (block $oy_done (loop $oys
                (br_if $oy_done (i32.ge_s (local.get $oy) (local.get $oy1)))
                (local.set $ox (local.get $ox0))
                (block $ox_done (loop $oxs
                  (br_if $ox_done (i32.ge_s (local.get $ox) (local.get $ox1)))
                  ;; W[ky, kx, ci, :] with ky = ty - oy*sh, kx = tx - ox*sw
                  (local.set $pw (i32.add (local.get $w) (i32.mul (local.get $row)
                    (i32.add (local.get $ci) (i32.mul (local.get $c)
                      (i32.add (i32.sub (local.get $tx) (i32.mul (local.get $ox) (local.get $sw)))
                        (i32.mul (local.get $kw) (i32.sub (local.get $ty) (i32.mul (local.get $oy) (local.get $sh))))))))))
                  (local.set $po (i32.add (local.get $outImage) (i32.mul (local.get $row)
                    (i32.add (local.get $ox) (i32.mul (local.get $oy) (local.get $ow))))))
                  (local.set $j (local.get $o))
                  (block $tail_done (loop $tail
                    (br_if $tail_done (i32.eqz (local.get $j)))
                    (f32.store (local.get $po)
                      (f32.add (f32.load (local.get $po)) (f32.mul (f32.load (local.get $pw)) (local.get $v))))
                    (local.set $po (i32.add (local.get $po) (i32.const 4)))
                    (local.set $pw (i32.add (local.get $pw) (i32.const 4)))
                    (local.set $j (i32.sub (local.get $j) (i32.const 1)))
                    (br $tail)))
                  (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                  (br $oxs)))
                (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
                (br $oys)))))
            (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
            (br $channels)))
          (local.set $ix (i32.add (local.get $ix) (i32.const 1)))
          (br $cols)))
        (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
        (br $rows)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $images)))
    (local.get $nnz))
)
