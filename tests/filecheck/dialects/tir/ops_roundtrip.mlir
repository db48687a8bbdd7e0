// The data-movement and activation operator ops print as they parse (the
// variadic ins of tir.concatenation included), twice the same.
// RUN: tirconst-opt %s | tirconst-opt | filecheck %s
// RUN: tirconst-opt %s > %t.once.mlir
// RUN: tirconst-opt %t.once.mlir > %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir

// CHECK: tir.func @ops
tir.func @ops(%a : !tir.buffer<1x2x4xi8>, %b : !tir.buffer<1x2x3xi8>, %c : !tir.buffer<1x2x7xi8>, %s : !tir.buffer<1x1x2xi8>, %t : !tir.buffer<7x2x1xi8>, %tab : !tir.buffer<256xi8>, %h : !tir.buffer<2x3xi16>, %h3 : !tir.buffer<3xi16>) {
  // CHECK-NEXT: tir.concatenation ins(%a, %b : !tir.buffer<1x2x4xi8>, !tir.buffer<1x2x3xi8>) outs(%c : !tir.buffer<1x2x7xi8>) {axis = 2 : i64}
  tir.concatenation ins(%a, %b : !tir.buffer<1x2x4xi8>, !tir.buffer<1x2x3xi8>) outs(%c : !tir.buffer<1x2x7xi8>) {axis = 2}
  // CHECK-NEXT: tir.strided_slice ins(%c : !tir.buffer<1x2x7xi8>) outs(%s : !tir.buffer<1x1x2xi8>) {begin = array<i64: 0, 1, 6>, strides = array<i64: 1, 1, -3>, size = array<i64: 1, 1, 2>}
  tir.strided_slice ins(%c : !tir.buffer<1x2x7xi8>) outs(%s : !tir.buffer<1x1x2xi8>) {begin = array<i64: 0, 1, 6>, strides = array<i64: 1, 1, -3>, size = array<i64: 1, 1, 2>}
  // CHECK-NEXT: tir.transpose ins(%c : !tir.buffer<1x2x7xi8>) outs(%t : !tir.buffer<7x2x1xi8>) {perm = array<i64: 2, 1, 0>}
  tir.transpose ins(%c : !tir.buffer<1x2x7xi8>) outs(%t : !tir.buffer<7x2x1xi8>) {perm = array<i64: 2, 1, 0>}
  // CHECK-NEXT: tir.relu ins(%a : !tir.buffer<1x2x4xi8>) outs(%a : !tir.buffer<1x2x4xi8>) {input_zp = 3 : i64, output_zp = -128 : i64, multiplier = 1073741824 : i64, shift = 1 : i64, act_min = -128 : i64, act_max = 127 : i64, input_scale = 1.000000e-01 : f32, output_scale = 1.000000e-01 : f32}
  tir.relu ins(%a : !tir.buffer<1x2x4xi8>) outs(%a : !tir.buffer<1x2x4xi8>) {input_zp = 3, output_zp = -128, multiplier = 1073741824, shift = 1, act_min = -128, act_max = 127, input_scale = 0.1 : f32, output_scale = 0.1 : f32}
  // CHECK-NEXT: tir.leaky_relu ins(%a : !tir.buffer<1x2x4xi8>) outs(%a : !tir.buffer<1x2x4xi8>) {input_zp = 0 : i64, output_zp = 0 : i64, alpha_multiplier = 1717986944 : i64, alpha_shift = -2 : i64, identity_multiplier = 1073741824 : i64, identity_shift = 1 : i64}
  tir.leaky_relu ins(%a : !tir.buffer<1x2x4xi8>) outs(%a : !tir.buffer<1x2x4xi8>) {input_zp = 0, output_zp = 0, alpha_multiplier = 1717986944, alpha_shift = -2, identity_multiplier = 1073741824, identity_shift = 1}
  // CHECK-NEXT: tir.hard_swish ins(%a : !tir.buffer<1x2x4xi8>) outs(%a : !tir.buffer<1x2x4xi8>) {input_zp = 0 : i64, output_zp = 0 : i64, output_multiplier = 16384 : i64, output_shift = -6 : i64, reluish_multiplier = 21845 : i64, reluish_shift = -5 : i64}
  tir.hard_swish ins(%a : !tir.buffer<1x2x4xi8>) outs(%a : !tir.buffer<1x2x4xi8>) {input_zp = 0, output_zp = 0, output_multiplier = 16384, output_shift = -6, reluish_multiplier = 21845, reluish_shift = -5}
  // CHECK-NEXT: tir.tanh ins(%a, %tab : !tir.buffer<1x2x4xi8>, !tir.buffer<256xi8>) outs(%a : !tir.buffer<1x2x4xi8>)
  tir.tanh ins(%a, %tab : !tir.buffer<1x2x4xi8>, !tir.buffer<256xi8>) outs(%a : !tir.buffer<1x2x4xi8>)
  // CHECK-NEXT: tir.maximum ins(%h, %h3 : !tir.buffer<2x3xi16>, !tir.buffer<3xi16>) outs(%h : !tir.buffer<2x3xi16>)
  tir.maximum ins(%h, %h3 : !tir.buffer<2x3xi16>, !tir.buffer<3xi16>) outs(%h : !tir.buffer<2x3xi16>)
  // CHECK-NEXT: tir.minimum ins(%h, %h3 : !tir.buffer<2x3xi16>, !tir.buffer<3xi16>) outs(%h : !tir.buffer<2x3xi16>)
  tir.minimum ins(%h, %h3 : !tir.buffer<2x3xi16>, !tir.buffer<3xi16>) outs(%h : !tir.buffer<2x3xi16>)
}

// CHECK: tir.func @abs_0
tir.func @abs_0(%x : !tir.buffer<8xi8>) {
  // CHECK-NEXT: tir.abs ins(%x : !tir.buffer<8xi8>) outs(%x : !tir.buffer<8xi8>) {input_zp = 3 : i64, output_zp = -128 : i64, multiplier = 1073741824 : i64, shift = 1 : i64, input_scale = 1.000000e-01 : f32, output_scale = 1.000000e-01 : f32}
  tir.abs ins(%x : !tir.buffer<8xi8>) outs(%x : !tir.buffer<8xi8>) {input_zp = 3, output_zp = -128, multiplier = 1073741824, shift = 1, input_scale = 0.1 : f32, output_scale = 0.1 : f32}
}

// CHECK: tir.func @neg_1
tir.func @neg_1(%x : !tir.buffer<8xi16>) {
  // CHECK-NEXT: tir.neg ins(%x : !tir.buffer<8xi16>) outs(%x : !tir.buffer<8xi16>)
  tir.neg ins(%x : !tir.buffer<8xi16>) outs(%x : !tir.buffer<8xi16>)
}

// CHECK: tir.func @neg_float
tir.func @neg_float(%x : !tir.buffer<8xf32>) {
  // CHECK-NEXT: tir.neg ins(%x : !tir.buffer<8xf32>) outs(%x : !tir.buffer<8xf32>)
  tir.neg ins(%x : !tir.buffer<8xf32>) outs(%x : !tir.buffer<8xf32>)
}

// CHECK: tir.func @sequence_lstm
tir.func @sequence_lstm(%x : !tir.buffer<1x3x2xi8>, %w : !tir.buffer<4x2xi8>, %r : !tir.buffer<4x4xi8>, %b : !tir.buffer<4xi32>, %y : !tir.buffer<1x3x4xi8>) {
  // CHECK-NEXT: tir.sequence_lstm ins(%x, %w, %w, %w, %w, %r, %r, %r, %r, %b, %b, %b, %b : !tir.buffer<1x3x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4xi32>, !tir.buffer<4xi32>, !tir.buffer<4xi32>, !tir.buffer<4xi32>) outs(%y : !tir.buffer<1x3x4xi8>) {time_major = 0 : i64, input_zp = 0 : i64, output_state_zp = -5 : i64, hidden_zp = -5 : i64, multiplier = array<i64: 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i64: 3, 3, 3, 3, 3, 3, 3, 3>, hidden_multiplier = 1073741824 : i64, hidden_shift = -22 : i64, cell_scale_log2 = -15 : i64, cell_clip = 0 : i64}
  tir.sequence_lstm ins(%x, %w, %w, %w, %w, %r, %r, %r, %r, %b, %b, %b, %b : !tir.buffer<1x3x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4xi32>, !tir.buffer<4xi32>, !tir.buffer<4xi32>, !tir.buffer<4xi32>) outs(%y : !tir.buffer<1x3x4xi8>) {time_major = 0, input_zp = 0, output_state_zp = -5, hidden_zp = -5, multiplier = array<i64: 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i64: 3, 3, 3, 3, 3, 3, 3, 3>, hidden_multiplier = 1073741824, hidden_shift = -22, cell_scale_log2 = -15, cell_clip = 0}
}

// CHECK: tir.func @squared_difference_2
tir.func @squared_difference_2(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>) {
  // CHECK-NEXT: tir.squared_difference ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%a : !tir.buffer<2x3xi8>) {lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = -128 : i64, left_shift = 7 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -11 : i64}
  tir.squared_difference ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>) outs(%a : !tir.buffer<2x3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = -128, left_shift = 7, lhs_multiplier = 1073741824, lhs_shift = 0, rhs_multiplier = 1073741824, rhs_shift = 0, output_multiplier = 1073741824, output_shift = -11}
}

// CHECK: tir.func @mirror_pad_0
tir.func @mirror_pad_0(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<4x4xi8>) {
  // CHECK-NEXT: tir.mirror_pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<4x4xi8>) {padding = array<i64: 1, 1, 0, 1>, mode = 0 : i64}
  tir.mirror_pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<4x4xi8>) {padding = array<i64: 1, 1, 0, 1>, mode = 0}
}

// CHECK: tir.func @tile_1
tir.func @tile_1(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x9xi8>) {
  // CHECK-NEXT: tir.tile ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x9xi8>) {multiples = array<i64: 1, 3>}
  tir.tile ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x9xi8>) {multiples = array<i64: 1, 3>}
}

// CHECK: tir.func @reverse_2
tir.func @reverse_2(%x : !tir.buffer<2x3xi16>) {
  // CHECK-NEXT: tir.reverse ins(%x : !tir.buffer<2x3xi16>) outs(%x : !tir.buffer<2x3xi16>) {axes = array<i64: 0, 1>}
  tir.reverse ins(%x : !tir.buffer<2x3xi16>) outs(%x : !tir.buffer<2x3xi16>) {axes = array<i64: 0, 1>}
}

// CHECK: tir.func @reduce_max_0
tir.func @reduce_max_0(%x : !tir.buffer<2x3xi16>, %y : !tir.buffer<2xi16>) {
  // CHECK-NEXT: tir.reduce_max ins(%x : !tir.buffer<2x3xi16>) outs(%y : !tir.buffer<2xi16>) {axes = array<i64: 1>}
  tir.reduce_max ins(%x : !tir.buffer<2x3xi16>) outs(%y : !tir.buffer<2xi16>) {axes = array<i64: 1>}
}

// CHECK: tir.func @reduce_min_1
tir.func @reduce_min_1(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x1xi8>) {
  // CHECK-NEXT: tir.reduce_min ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x1xi8>) {axes = array<i64: -1>}
  tir.reduce_min ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x1xi8>) {axes = array<i64: -1>}
}

// CHECK: tir.func @arg_max_2
tir.func @arg_max_2(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<3xi64>) {
  // CHECK-NEXT: tir.arg_max ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<3xi64>) {axis = 0 : i64}
  tir.arg_max ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<3xi64>) {axis = 0}
}

// CHECK: tir.func @exp_0
tir.func @exp_0(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xi8>) {
  // CHECK-NEXT: tir.exp ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>) outs(%x : !tir.buffer<16xi8>) {input_scale = 6.250000e-02 : f32, input_zp = 0 : i64, output_scale = 5.000000e-01 : f32, output_zp = -128 : i64}
  tir.exp ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>) outs(%x : !tir.buffer<16xi8>) {input_scale = 0.0625 : f32, input_zp = 0, output_scale = 0.5 : f32, output_zp = -128}
}

// CHECK: tir.func @log_1
tir.func @log_1(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xi8>) {
  // CHECK-NEXT: tir.log ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>) outs(%x : !tir.buffer<16xi8>)
  tir.log ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>) outs(%x : !tir.buffer<16xi8>)
}

// CHECK: tir.func @gelu_2
tir.func @gelu_2(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xi8>) {
  // CHECK-NEXT: tir.gelu ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>) outs(%x : !tir.buffer<16xi8>)
  tir.gelu ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>) outs(%x : !tir.buffer<16xi8>)
}

// CHECK: tir.func @elu_3
tir.func @elu_3(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xi8>) {
  // CHECK-NEXT: tir.elu ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>) outs(%x : !tir.buffer<16xi8>)
  tir.elu ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>) outs(%x : !tir.buffer<16xi8>)
}

// CHECK: tir.func @sum_0
tir.func @sum_0(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x1xi8>) {
  // CHECK-NEXT: tir.sum ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x1xi8>) {axes = array<i64: -1>, input_zp = 3 : i64, output_zp = -4 : i64, scale = 2.500000e-01 : f32, input_scale = 6.250000e-02 : f32, output_scale = 2.500000e-01 : f32}
  tir.sum ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x1xi8>) {axes = array<i64: -1>, input_zp = 3, output_zp = -4, scale = 0.25 : f32, input_scale = 0.0625 : f32, output_scale = 0.25 : f32}
}

// CHECK: tir.func @resize_nearest_0
tir.func @resize_nearest_0(%x : !tir.buffer<1x2x2x3xi8>, %y : !tir.buffer<1x4x4x3xi8>) {
  // CHECK-NEXT: tir.resize_nearest ins(%x : !tir.buffer<1x2x2x3xi8>) outs(%y : !tir.buffer<1x4x4x3xi8>) {align_corners = 0 : i64, half_pixel_centers = 1 : i64}
  tir.resize_nearest ins(%x : !tir.buffer<1x2x2x3xi8>) outs(%y : !tir.buffer<1x4x4x3xi8>) {align_corners = 0, half_pixel_centers = 1}
}

// CHECK: tir.func @resize_bilinear_1
tir.func @resize_bilinear_1(%x : !tir.buffer<1x2x2x3xi16>, %y : !tir.buffer<1x3x5x3xi16>) {
  // CHECK-NEXT: tir.resize_bilinear ins(%x : !tir.buffer<1x2x2x3xi16>) outs(%y : !tir.buffer<1x3x5x3xi16>) {align_corners = 1 : i64, half_pixel_centers = 0 : i64}
  tir.resize_bilinear ins(%x : !tir.buffer<1x2x2x3xi16>) outs(%y : !tir.buffer<1x3x5x3xi16>) {align_corners = 1, half_pixel_centers = 0}
}

// CHECK: tir.func @prelu_0
tir.func @prelu_0(%x : !tir.buffer<1x2x2x3xi8>, %a : !tir.buffer<3xi8>) {
  // CHECK-NEXT: tir.prelu ins(%x, %a : !tir.buffer<1x2x2x3xi8>, !tir.buffer<3xi8>) outs(%x : !tir.buffer<1x2x2x3xi8>) {input_zp = 0 : i64, alpha_zp = 0 : i64, output_zp = 0 : i64, identity_multiplier = 1073741824 : i64, identity_shift = 1 : i64, alpha_multiplier = 1073741824 : i64, alpha_shift = -6 : i64}
  tir.prelu ins(%x, %a : !tir.buffer<1x2x2x3xi8>, !tir.buffer<3xi8>) outs(%x : !tir.buffer<1x2x2x3xi8>) {input_zp = 0, alpha_zp = 0, output_zp = 0, identity_multiplier = 1073741824, identity_shift = 1, alpha_multiplier = 1073741824, alpha_shift = -6}
}

// CHECK: tir.func @transpose_conv2d_0
tir.func @transpose_conv2d_0(%x : !tir.buffer<1x2x2x1xi8>, %w : !tir.buffer<2x3x3x1xi8>, %b : !tir.buffer<2xi32>, %y : !tir.buffer<1x4x4x2xi8>) {
  // CHECK-NEXT: tir.transpose_conv2d ins(%x, %w, %b : !tir.buffer<1x2x2x1xi8>, !tir.buffer<2x3x3x1xi8>, !tir.buffer<2xi32>) outs(%y : !tir.buffer<1x4x4x2xi8>) {stride = array<i64: 2, 2>, pad = array<i64: 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: -3, -3>, act_min = -128 : i64, act_max = 127 : i64, input_scale = 5.000000e-01 : f32, filter_scales = array<f32: 1.250000e-01, 1.250000e-01>, output_scale = 1.000000e+00 : f32}
  tir.transpose_conv2d ins(%x, %w, %b : !tir.buffer<1x2x2x1xi8>, !tir.buffer<2x3x3x1xi8>, !tir.buffer<2xi32>) outs(%y : !tir.buffer<1x4x4x2xi8>) {stride = array<i64: 2, 2>, pad = array<i64: 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: -3, -3>, act_min = -128, act_max = 127, input_scale = 0.5 : f32, filter_scales = array<f32: 0.125, 0.125>, output_scale = 1.0 : f32}
}

// CHECK: tir.func @batch_matmul_0
tir.func @batch_matmul_0(%a : !tir.buffer<2x3x4xi8>, %b : !tir.buffer<5x4xi8>, %y : !tir.buffer<2x3x5xi8>) {
  // CHECK-NEXT: tir.batch_matmul ins(%a, %b : !tir.buffer<2x3x4xi8>, !tir.buffer<5x4xi8>) outs(%y : !tir.buffer<2x3x5xi8>) {adj_x = 0 : i64, adj_y = 1 : i64, lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64, multiplier = 1073741824 : i64, shift = -5 : i64}
  tir.batch_matmul ins(%a, %b : !tir.buffer<2x3x4xi8>, !tir.buffer<5x4xi8>) outs(%y : !tir.buffer<2x3x5xi8>) {adj_x = 0, adj_y = 1, lhs_zp = 0, rhs_zp = 0, output_zp = 0, multiplier = 1073741824, shift = -5}
}

// CHECK: tir.func @pack
tir.func @pack(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x3x2xi8>) {
  // CHECK-NEXT: tir.pack ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x3x2xi8>) {axis = 2 : i64}
  tir.pack ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2x3x2xi8>) {axis = 2}
}

// CHECK: tir.func @tflite_operator
tir.func @tflite_operator(%x : !tir.buffer<1x8x8x12xi8>, %i : !tir.buffer<8xi32>, %y : !tir.buffer<1x8x8x8xi8>) {
  // CHECK-NEXT: tir.tflite_operator ins(%x, %i : !tir.buffer<1x8x8x12xi8>, !tir.buffer<8xi32>) outs(%y : !tir.buffer<1x8x8x8xi8>) {opcode = "GATHER", version = 2 : i64}
  tir.tflite_operator ins(%x, %i : !tir.buffer<1x8x8x12xi8>, !tir.buffer<8xi32>) outs(%y : !tir.buffer<1x8x8x8xi8>) {opcode = "GATHER", version = 2}
}
