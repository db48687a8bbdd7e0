// Refusals of tir-encode-weights: one line naming the op, non-zero exit, no
// output. (Weights outside ±255 after zero-point removal cannot come from
// verified int8 tir; that refusal is tested in tests/test_encode_weights.py.)
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s -p tir-encode-weights 2>&1 | filecheck %s
// RUN: tirconst-opt %s --split-input-file --verify-diagnostics -p 'tir-encode-weights{accelerator=ethos-u99}' | filecheck %s --check-prefix=ACC
// ACC: error: tir-encode-weights: unknown accelerator 'ethos-u99' (known: ethos-u55-32, ethos-u55-64, ethos-u55-128, ethos-u55-256, ethos-u65-256, ethos-u65-512)
// RUN: tirconst-opt %s --split-input-file --verify-diagnostics -p 'tir-encode-weights{policy=smallest}' | filecheck %s --check-prefix=POLICY
// POLICY: error: tir-encode-weights: unknown policy 'smallest' (known: min-size, vela, cycles)
// CHECK-NOT: Traceback


// A shift the 6-bit record field cannot hold (31 - 33 < 0).
// CHECK: error: tir-encode-weights: 'tir.fully_connected' (output %y) in @bigshift: shift 33..33 gives a record shift outside 0..63
builtin.module {
  tir.func @bigshift(%x : !tir.buffer<1x4xi8>, %y : !tir.buffer<1x2xi8>) {
    %w = tir.allocate_const dense<[1, 2, 3, 4, 5, 6, 7, 8]> : !tir.buffer<2x4xi8>
    tir.fully_connected ins(%x, %w : !tir.buffer<1x4xi8>, !tir.buffer<2x4xi8>) outs(%y : !tir.buffer<1x2xi8>) {input_zp = 0 : i64, filter_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 33>, act_min = -128 : i64, act_max = 127 : i64}
  }
}
