;; XNOR-popcount GEMM without SIMD (the fallback for engines without WebAssembly SIMD).
;; Same contract as xnor-gemm-simd.wat, rows of `vecs` 128-bit groups read as four i32 words.
(module
  (memory (export "memory") 1)
  (func (export "gemm") (param $a i32) (param $b i32) (param $out i32) (param $m i32) (param $n i32) (param $vecs i32)
    (local $i i32) (local $j i32) (local $k i32) (local $words i32) (local $stride i32)
    (local $pa i32) (local $pb i32) (local $po i32) (local $acc i32)
    (local.set $words (i32.shl (local.get $vecs) (i32.const 2)))
    (local.set $stride (i32.shl (local.get $vecs) (i32.const 4)))
    (local.set $po (local.get $out))
    (local.set $i (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $stride))))
            (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $stride))))
            (local.set $acc (i32.const 0))
            (local.set $k (local.get $words))
            (block $inner_done
              (loop $inner
                (br_if $inner_done (i32.eqz (local.get $k)))
                (local.set $acc (i32.add (local.get $acc)
                  (i32.popcnt (i32.xor (i32.load (local.get $pa)) (i32.load (local.get $pb))))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
                (local.set $pb (i32.add (local.get $pb) (i32.const 4)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $inner)))
            (i32.store (local.get $po) (local.get $acc))
            (local.set $po (i32.add (local.get $po) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
