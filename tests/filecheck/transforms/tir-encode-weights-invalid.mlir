// Refusals of tir-encode-weights: one line naming the op, non-zero exit, no
// output. (Weights outside ±255 after zero-point removal cannot come from
// verified int8 tir; that refusal is tested in tests/test_encode_weights.py.)
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s -p tir-encode-weights 2>&1 | filecheck %s
// RUN: tirconst-opt %s --split-input-file --verify-diagnostics -p 'tir-encode-weights{accelerator=ethos-u99}' | filecheck %s --check-prefix=ACC
// ACC: error: tir-encode-weights: unknown accelerator 'ethos-u99' (known: ethos-u55-32, ethos-u55-64, ethos-u55-128, ethos-u55-256, ethos-u65-256, ethos-u65-512)
// RUN: tirconst-opt %s --split-input-file --verify-diagnostics -p 'tir-encode-weights{policy=smallest}' | filecheck %s --check-prefix=POLICY
// POLICY: error: tir-encode-weights: unknown policy 'smallest' (known: min-size, vela)
// CHECK-NOT: Traceback

// CHECK: error: tir-encode-weights: 'tir.conv2d' (output %y) in @stride4: the NPU cannot run it (stride [4, 4], dilation [1, 1], kernel 1x1; at most 3, 2, 64)
builtin.module {
  tir.constant @w = dense<[1, 2, 3, 4]> : tensor<4x1x1x1xi8>
  tir.func @stride4(%x : !tir.buffer<1x8x8x1xi8>, %y : !tir.buffer<1x2x2x4xi8>) {
    %w = tir.allocate_const @w : !tir.buffer<4x1x1x1xi8>
    tir.conv2d ins(%x, %w : !tir.buffer<1x8x8x1xi8>, !tir.buffer<4x1x1x1xi8>) outs(%y : !tir.buffer<1x2x2x4xi8>) {stride = array<i64: 4, 4>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
  }
}

// -----

// CHECK: error: tir-encode-weights: 'tir.conv2d' (output %y) in @dilation3: the NPU cannot run it (stride [1, 1], dilation [3, 3], kernel 2x2; at most 3, 2, 64)
builtin.module {
  tir.func @dilation3(%x : !tir.buffer<1x8x8x1xi8>, %y : !tir.buffer<1x5x5x1xi8>) {
    %w = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<1x2x2x1xi8>
    tir.conv2d ins(%x, %w : !tir.buffer<1x8x8x1xi8>, !tir.buffer<1x2x2x1xi8>) outs(%y : !tir.buffer<1x5x5x1xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 3, 3>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 0>, act_min = -128 : i64, act_max = 127 : i64}
  }
}

// -----

// CHECK: error: tir-encode-weights: 'tir.depthwise_conv2d' (output %y) in @multiplier2: the NPU cannot run it (depth multiplier 2 with 2 input channels)
builtin.module {
  tir.func @multiplier2(%x : !tir.buffer<1x3x3x2xi8>, %y : !tir.buffer<1x3x3x4xi8>) {
    %w = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<1x1x1x4xi8>
    tir.depthwise_conv2d ins(%x, %w : !tir.buffer<1x3x3x2xi8>, !tir.buffer<1x1x1x4xi8>) outs(%y : !tir.buffer<1x3x3x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64, depth_multiplier = 2 : i64}
  }
}

// -----

// A shift the 6-bit record field cannot hold (31 - 33 < 0).
// CHECK: error: tir-encode-weights: 'tir.fully_connected' (output %y) in @bigshift: shift 33..33 gives a record shift outside 0..63
builtin.module {
  tir.func @bigshift(%x : !tir.buffer<1x4xi8>, %y : !tir.buffer<1x2xi8>) {
    %w = tir.allocate_const dense<[1, 2, 3, 4, 5, 6, 7, 8]> : !tir.buffer<2x4xi8>
    tir.fully_connected ins(%x, %w : !tir.buffer<1x4xi8>, !tir.buffer<2x4xi8>) outs(%y : !tir.buffer<1x2xi8>) {input_zp = 0 : i64, filter_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 33>, act_min = -128 : i64, act_max = 127 : i64}
  }
}
