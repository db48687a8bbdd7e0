// Operator ops with their float32 scales: the scales print in definition
// order after the kernel integers, and print -> parse -> print is exact.
// RUN: tirconst-opt %s | tirconst-opt | filecheck %s
// RUN: tirconst-opt %s > %t.once.mlir
// RUN: tirconst-opt %t.once.mlir > %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir

tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<3x3x3x2xi8>, %b : !tir.buffer<3xi32>, %y : !tir.buffer<1x2x2x3xi8>,
            %fx : !tir.buffer<2x8xi8>, %fw : !tir.buffer<4x8xi8>, %fy : !tir.buffer<2x4xi8>,
            %p : !tir.buffer<1x1x1x3xi8>, %s : !tir.buffer<1x3xi8>, %e : !tir.buffer<256xi32>, %sy : !tir.buffer<1x3xi8>) {
  // CHECK: tir.conv2d {{.*}}act_max = 127 : i64, input_scale = 2.000000e-02 : f32, filter_scales = array<f32: 3.000000e-03, 4.100000e-03, 5.000000e-03>, output_scale = 5.000000e-02 : f32}
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>, !tir.buffer<3x3x3x2xi8>, !tir.buffer<3xi32>) outs(%y : !tir.buffer<1x2x2x3xi8>) {output_scale = 0.05 : f32, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = -3, output_zp = 5, multiplier = array<i32: 1319413916, 1803199011, 1099511562>, shift = array<i32: -9, -9, -8>, act_min = -128, act_max = 127, input_scale = 0.02 : f32, filter_scales = array<f32: 0.003, 0.0041, 0.005>}
  // Per-tensor fully connected: one filter scale, one multiplier.
  // CHECK-NEXT: tir.fully_connected {{.*}}multiplier = array<i32: 1319413916>, shift = array<i32: -9>, {{.*}}filter_scales = array<f32: 3.000000e-03>
  tir.fully_connected ins(%fx, %fw : !tir.buffer<2x8xi8>, !tir.buffer<4x8xi8>) outs(%fy : !tir.buffer<2x4xi8>) {input_zp = 0, filter_zp = 0, output_zp = 0, multiplier = array<i32: 1319413916>, shift = array<i32: -9>, act_min = -128, act_max = 127, input_scale = 0.02 : f32, filter_scales = array<f32: 0.003>, output_scale = 0.05 : f32}
  // CHECK-NEXT: tir.add {{.*}}lhs_scale = 2.000000e-02 : f32, rhs_scale = 3.000000e-02 : f32, output_scale = 4.000000e-02 : f32}
  tir.add ins(%p, %s : !tir.buffer<1x1x1x3xi8>, !tir.buffer<1x3xi8>) outs(%p : !tir.buffer<1x1x1x3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, left_shift = 20, lhs_multiplier = 1431655765, lhs_shift = -1, rhs_multiplier = 1073741824, rhs_shift = 0, output_multiplier = 1610612736, output_shift = -19, act_min = -128, act_max = 127, lhs_scale = 0.02 : f32, rhs_scale = 0.03 : f32, output_scale = 0.04 : f32}
  // CHECK-NEXT: tir.mul {{.*}}output_multiplier = 1507720448 : i64, output_shift = -1 : i64
  tir.mul ins(%p, %s : !tir.buffer<1x1x1x3xi8>, !tir.buffer<1x3xi8>) outs(%p : !tir.buffer<1x1x1x3xi8>) {lhs_zp = 0, rhs_zp = 0, output_zp = 0, output_multiplier = 1507720448, output_shift = -1, act_min = -128, act_max = 127, lhs_scale = 0.064059205 : f32, rhs_scale = 0.027708884 : f32, output_scale = 0.005056379 : f32}
  // CHECK-NEXT: tir.avg_pool2d {{.*}}input_scale = 5.000000e-01 : f32, input_zp = 1 : i64, output_scale = 5.000000e-01 : f32, output_zp = 1 : i64}
  tir.avg_pool2d ins(%y : !tir.buffer<1x2x2x3xi8>) outs(%p : !tir.buffer<1x1x1x3xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127, input_scale = 0.5 : f32, input_zp = 1, output_scale = 0.5 : f32, output_zp = 1}
  // CHECK-NEXT: tir.softmax {{.*}}output_zp = -128 : i64, input_scale = 1.000000e-01 : f32, input_zp = 2 : i64}
  tir.softmax ins(%s, %e : !tir.buffer<1x3xi8>, !tir.buffer<256xi32>) outs(%sy : !tir.buffer<1x3xi8>) {output_scale = 0.00390625 : f32, output_zp = -128, input_scale = 0.1 : f32, input_zp = 2}
  // Without scales an op still verifies (hand-written kernel tests).
  // CHECK-NEXT: tir.requantize {{.*}}shift = 0 : i64}
  tir.requantize ins(%s : !tir.buffer<1x3xi8>) outs(%sy : !tir.buffer<1x3xi8>) {scale = 0.03 : f32, zero_point = -1, input_zp = 3, multiplier = 1431655765, shift = 0}
}
