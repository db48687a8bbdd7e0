// The typed properties of operator ops and the agreement of their integers
// with their float32 scales: one case per rule, one line each.
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s | filecheck %s
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s 2>&1 \
// RUN:   | filecheck %s --check-prefix=CLEAN

// CLEAN-NOT: Traceback
// CLEAN-NOT: internal error

// per-channel multipliers are i32
// CHECK: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: multiplier must be array<i32: ...>, got array<i64: 1, 1, 1>
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i64: 1, 1, 1>, shift = array<i32: 0, 0, 0>, act_min = -128, act_max = 127}
}

// -----

// per-channel shifts are i32
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.fully_connected' op in @f: shift must be array<i32: ...>, got array<i8: 0>
tir.func @f(%x : !tir.buffer<2x8xi8>, %w : !tir.buffer<4x8xi8>, %y : !tir.buffer<2x4xi8>) {
  tir.fully_connected ins(%x, %w : !tir.buffer<2x8xi8>, !tir.buffer<4x8xi8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 0, filter_zp = 0, output_zp = 0, multiplier = array<i32: 1073741824>, shift = array<i8: 0>, act_min = -128, act_max = 127}
}

// -----

// zero points are i64 integers
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.mul' op in @f: lhs_zp must be an i64 integer in [-128, 127], got -1 : i8
tir.func @f(%a : !tir.buffer<3xi8>, %b : !tir.buffer<3xi8>, %y : !tir.buffer<3xi8>) {
  tir.mul ins(%a, %b : !tir.buffer<3xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<3xi8>) {lhs_zp = -1 : i8, rhs_zp = 0, output_zp = 0, output_multiplier = 1073741824, output_shift = -6, act_min = -128, act_max = 127}
}

// -----

// int8 zero points are in [-128, 127]
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.quantize' op in @f: zero_point must be an i64 integer in [-128, 127], got 200 : i64
tir.func @f(%x : !tir.buffer<8xf32>, %y : !tir.buffer<8xi8>) {
  tir.quantize ins(%x : !tir.buffer<8xf32>) outs(%y : !tir.buffer<8xi8>) {scale = 0.5 : f32, zero_point = 200}
}

// -----

// scales are finite f32 values > 0
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.dequantize' op in @f: scale must be a finite f32 > 0, got 0.000000e+00 : f32
tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xf32>) {
  tir.dequantize ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xf32>) {scale = 0.0 : f32, zero_point = 0}
}

// -----

// scales are f32, not f64
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.mean' op in @f: input_scale must be a finite f32 > 0, got 6.250000e-02 : f64
tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x8xi8>) {
  tir.mean ins(%x : !tir.buffer<1x4x4x8xi8>) outs(%y : !tir.buffer<1x8xi8>) {axes = array<i64: 1, 2>, input_zp = 0, output_zp = 0, multiplier = 1073741824, shift = -3, input_scale = 0.0625 : f64, output_scale = 1.0 : f32}
}

// -----

// per-channel scales are an f32 array of positive values
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.depthwise_conv2d' op in @f: filter_scales must be array<f32: ...> of finite values > 0, got array<f32: 5.000000e-01, -5.000000e-01>
tir.func @f(%x : !tir.buffer<1x3x3x2xi8>, %w : !tir.buffer<1x3x3x2xi8>, %y : !tir.buffer<1x1x1x2xi8>) {
  tir.depthwise_conv2d ins(%x, %w : !tir.buffer<1x3x3x2xi8>, !tir.buffer<1x3x3x2xi8>) outs(%y : !tir.buffer<1x1x1x2xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 0, 0>, act_min = -128, act_max = 127, depth_multiplier = 1, input_scale = 1.0 : f32, filter_scales = array<f32: 0.5, -0.5>, output_scale = 1.0 : f32}
}

// -----

// the scales come all together
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.add' op in @f: quantization lhs_scale, output_scale given without rhs_scale
tir.func @f(%a : !tir.buffer<3xi8>, %b : !tir.buffer<3xi8>, %y : !tir.buffer<3xi8>) {
  tir.add ins(%a, %b : !tir.buffer<3xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, left_shift = 20, lhs_multiplier = 1073741824, lhs_shift = 0, rhs_multiplier = 1073741824, rhs_shift = 0, output_multiplier = 1073741824, output_shift = -19, act_min = -128, act_max = 127, lhs_scale = 0.5 : f32, output_scale = 1.0 : f32}
}

// -----

// one filter scale per output channel
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: filter_scales must have 3 per-channel values, got 1
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1073741824, 1073741824, 1073741824>, shift = array<i32: -3, -3, -3>, act_min = -128, act_max = 127, input_scale = 0.5 : f32, filter_scales = array<f32: 0.125>, output_scale = 1.0 : f32}
}

// -----

// per-tensor fully connected: one filter scale for one multiplier
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.fully_connected' op in @f: filter_scales has 4 values for 1 multipliers
tir.func @f(%x : !tir.buffer<2x8xi8>, %w : !tir.buffer<4x8xi8>, %y : !tir.buffer<2x4xi8>) {
  tir.fully_connected ins(%x, %w : !tir.buffer<2x8xi8>, !tir.buffer<4x8xi8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 0, filter_zp = 0, output_zp = 0, multiplier = array<i32: 1073741824>, shift = array<i32: -6>, act_min = -128, act_max = 127, input_scale = 0.25 : f32, filter_scales = array<f32: 0.0625, 0.0625, 0.0625, 0.0625>, output_scale = 2.0 : f32}
}

// -----

// conv multipliers agree with input_scale * filter_scales / output_scale
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: multiplier[2] = 1099511563 disagrees with the scales, which give 1099511562
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1319413916, 1803199011, 1099511563>, shift = array<i32: -9, -9, -8>, act_min = -128, act_max = 127, input_scale = 0.02 : f32, filter_scales = array<f32: 0.003, 0.0041, 0.005>, output_scale = 0.05 : f32}
}

// -----

// conv shifts too
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.conv2d' op in @f: shift[0] = -8 disagrees with the scales, which give -9
tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %y : !tir.buffer<1x2x2x3xi8>) {
  tir.conv2d ins(%x, %w : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>) outs(%y : !tir.buffer<1x2x2x3xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0, multiplier = array<i32: 1319413916, 1803199011, 1099511562>, shift = array<i32: -8, -9, -8>, act_min = -128, act_max = 127, input_scale = 0.02 : f32, filter_scales = array<f32: 0.003, 0.0041, 0.005>, output_scale = 0.05 : f32}
}

// -----

// add: every integer follows from the three scales (left_shift is TFLite's 20)
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.sub' op in @f: left_shift = 19 disagrees with the scales, which give 20
tir.func @f(%a : !tir.buffer<3xi8>, %b : !tir.buffer<3xi8>, %y : !tir.buffer<3xi8>) {
  tir.sub ins(%a, %b : !tir.buffer<3xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, left_shift = 19, lhs_multiplier = 1431655765, lhs_shift = -1, rhs_multiplier = 1073741824, rhs_shift = 0, output_multiplier = 1610612736, output_shift = -19, act_min = -128, act_max = 127, lhs_scale = 0.02 : f32, rhs_scale = 0.03 : f32, output_scale = 0.04 : f32}
}

// -----

// add
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.add' op in @f: rhs_multiplier = 1073741825 disagrees with the scales, which give 1073741824
tir.func @f(%a : !tir.buffer<3xi8>, %b : !tir.buffer<3xi8>, %y : !tir.buffer<3xi8>) {
  tir.add ins(%a, %b : !tir.buffer<3xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, left_shift = 20, lhs_multiplier = 1431655765, lhs_shift = -1, rhs_multiplier = 1073741825, rhs_shift = 0, output_multiplier = 1610612736, output_shift = -19, act_min = -128, act_max = 127, lhs_scale = 0.02 : f32, rhs_scale = 0.03 : f32, output_scale = 0.04 : f32}
}

// -----

// add: scales TFLite's Prepare refuses (an input scale over twice the output's
// gives no multiplier below one)
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.add' op in @f: the scales give no integers: multiplier {{.*}} not in (0, 1)
tir.func @f(%a : !tir.buffer<3xi8>, %b : !tir.buffer<3xi8>, %y : !tir.buffer<3xi8>) {
  tir.add ins(%a, %b : !tir.buffer<3xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, left_shift = 20, lhs_multiplier = 1073741824, lhs_shift = 0, rhs_multiplier = 1073741824, rhs_shift = 0, output_multiplier = 1073741824, output_shift = -19, act_min = -128, act_max = 127, lhs_scale = 1.0e6 : f32, rhs_scale = 1.0e6 : f32, output_scale = 1.0e-3 : f32}
}

// -----

// mul: lhs * rhs / output in float32, as LiteRT computes it (the double
// quotient would give 1507720493)
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.mul' op in @f: output_multiplier = 1507720493 disagrees with the scales, which give 1507720448
tir.func @f(%a : !tir.buffer<3xi8>, %b : !tir.buffer<3xi8>, %y : !tir.buffer<3xi8>) {
  tir.mul ins(%a, %b : !tir.buffer<3xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, output_multiplier = 1507720493, output_shift = -1, act_min = -128, act_max = 127, lhs_scale = 0.064059205 : f32, rhs_scale = 0.027708884 : f32, output_scale = 0.005056379 : f32}
}

// -----

// mean: input_scale / output_scale
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.mean' op in @f: shift = -2 disagrees with the scales, which give -3
tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x8xi8>) {
  tir.mean ins(%x : !tir.buffer<1x4x4x8xi8>) outs(%y : !tir.buffer<1x8xi8>) {axes = array<i64: 1, 2>, input_zp = 0, output_zp = 0, multiplier = 1073741824, shift = -2, input_scale = 0.0625 : f32, output_scale = 1.0 : f32}
}

// -----

// requantize: input_scale / scale
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.requantize' op in @f: multiplier = 1073741824 disagrees with the scales, which give 1431655765
tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
  tir.requantize ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>) {scale = 0.03 : f32, zero_point = -1, input_zp = 3, multiplier = 1073741824, shift = 0, input_scale = 0.02 : f32}
}

// -----

// pools keep the quantization
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.max_pool2d' op in @f: the scales give no integers: a pool keeps its quantization, but input (0.5, 0) differs from output (0.5, 1)
tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x2x2x8xi8>) {
  tir.max_pool2d ins(%x : !tir.buffer<1x4x4x8xi8>) outs(%y : !tir.buffer<1x2x2x8xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127, input_scale = 0.5 : f32, input_zp = 0, output_scale = 0.5 : f32, output_zp = 1}
}

// -----

// logistic: zero points in range
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.logistic' op in @f: output_zp must be an i64 integer in [-128, 127], got -129 : i64
tir.func @f(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xi8>, %y : !tir.buffer<16xi8>) {
  tir.logistic ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>) outs(%y : !tir.buffer<16xi8>) {input_scale = 0.0625 : f32, input_zp = 0, output_scale = 0.00390625 : f32, output_zp = -129}
}

// -----

// sum: scale is the float32 quotient of the scales
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid_quantization.mlir:[[# @LINE + 2]]:3: error: 'tir.sum' op in @f: scale = 0.5 disagrees with the scales, which give 0.25
tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2xi8>) {
  tir.sum ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2xi8>) {axes = array<i64: 1>, input_zp = 0, output_zp = 0, scale = 0.5 : f32, input_scale = 0.0625 : f32, output_scale = 0.25 : f32}
}
