// An elementwise op whose operands both broadcast (the NPU broadcasts its
// second only): tir-legalize-npu tiles one operand (the one of fewer
// copies) to the output shape first, a tir.tile into a new buffer that
// becomes a tir.concatenation of copies; tir-data-views makes them NPU
// copies, and the op then broadcasts only the other, as IFM2. The lowered
// program equals the tir one bit for bit. Where tiling either operand takes
// more than 64 copies along an axis the op stays on the CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-data-views,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      %[[B:.*]] = tir.allocate : !tir.buffer<1x16x32xi8>
// LEGAL-NEXT: tir.concatenation ins(%b, %b, %b, %b, %b, %b, %b, %b, %b, %b, %b, %b, %b, %b, %b, %b : {{.*}}) outs(%[[B]] : !tir.buffer<1x16x32xi8>) {axis = 1 : i64}
// LEGAL-NEXT: tir.mul ins(%a, %[[B]] : !tir.buffer<1x16x1xi8>, !tir.buffer<1x16x32xi8>) outs(%ab
// LEGAL:      %[[C:.*]] = tir.allocate : !tir.buffer<4x3x5xi8>
// LEGAL-NEXT: tir.concatenation ins(%c, %c, %c : {{.*}}) outs(%[[C]] : !tir.buffer<4x3x5xi8>) {axis = 1 : i64}
// LEGAL-NEXT: tir.sub ins(%[[C]], %d : !tir.buffer<4x3x5xi8>, !tir.buffer<3x1xi8>) outs(%cd
// LEGAL:      %[[F:.*]] = tir.allocate : !tir.buffer<2x3xi8>
// LEGAL-NEXT: tir.concatenation ins(%f, %f : {{.*}}) outs(%[[F]] : !tir.buffer<2x3xi8>) {axis = 0 : i64}
// LEGAL-NEXT: tir.maximum ins(%e, %[[F]] : !tir.buffer<2x1xi8>, !tir.buffer<2x3xi8>) outs(%ef
// LEGAL-NEXT: tir.mul ins(%g, %h : !tir.buffer<70x1xi8>, !tir.buffer<1x70xi8>) outs(%gh

// SAME: equivalent: @main
// REMARK: remark: 'tir.mul' op in @main stays on the CPU: both operands broadcast and neither tiles to the output on the NPU (tiling rhs takes 70 copies along an axis)

// CHECK:      npu.invoke @main_npu0
// CHECK:      tir.mul ins(%g, %h {{.*}}npu_cpu = "both operands broadcast and neither tiles
// CHECK:      npu.command_stream @main_npu0
// CHECK-NOT:  tir.
// CHECK-COUNT-16: npu.dma {src = #npu.range<1, [[SRC:[0-9]+]], 32>
// CHECK-NEXT: npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [1, 16, 32]{{.*}}ifm2 = #npu.feature_map<int8, [1, 16, 1]
// CHECK-COUNT-3: npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 1, 5]
// CHECK-NEXT: npu.elementwise {op_type = "sub", ifm = #npu.feature_map<int8, [4, 3, 5]{{.*}}ifm2 = #npu.feature_map<int8, [1, 3, 1]
// CHECK-COUNT-2: npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [1, 1, 3]
// CHECK-NEXT: npu.elementwise {op_type = "max", ifm = #npu.feature_map<int8, [1, 2, 3]{{.*}}ifm2 = #npu.feature_map<int8, [1, 2, 1]

tir.func @main(%a : !tir.buffer<1x16x1xi8>, %b : !tir.buffer<1x1x32xi8>, %ab : !tir.buffer<1x16x32xi8>,
               %c : !tir.buffer<4x1x5xi8>, %d : !tir.buffer<3x1xi8>, %cd : !tir.buffer<4x3x5xi8>,
               %e : !tir.buffer<2x1xi8>, %f : !tir.buffer<1x3xi8>, %ef : !tir.buffer<2x3xi8>,
               %g : !tir.buffer<70x1xi8>, %h : !tir.buffer<1x70xi8>, %gh : !tir.buffer<70x70xi8>) {
  tir.mul ins(%a, %b : !tir.buffer<1x16x1xi8>, !tir.buffer<1x1x32xi8>) outs(%ab : !tir.buffer<1x16x32xi8>) {lhs_zp = 3 : i64, rhs_zp = -5 : i64, output_zp = 1 : i64, output_multiplier = 1717987072 : i64, output_shift = -5 : i64, act_min = -128 : i64, act_max = 127 : i64, lhs_scale = 5.000000e-02 : f32, rhs_scale = 2.000000e-02 : f32, output_scale = 4.000000e-02 : f32}
  tir.sub ins(%c, %d : !tir.buffer<4x1x5xi8>, !tir.buffer<3x1xi8>) outs(%cd : !tir.buffer<4x3x5xi8>) {lhs_zp = 3 : i64, rhs_zp = -5 : i64, output_zp = 1 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1717986854 : i64, rhs_shift = -2 : i64, output_multiplier = 1342177330 : i64, output_shift = -18 : i64, act_min = -128 : i64, act_max = 127 : i64, lhs_scale = 5.000000e-02 : f32, rhs_scale = 2.000000e-02 : f32, output_scale = 4.000000e-02 : f32}
  tir.maximum ins(%e, %f : !tir.buffer<2x1xi8>, !tir.buffer<1x3xi8>) outs(%ef : !tir.buffer<2x3xi8>) {lhs_scale = 5.000000e-02 : f32, lhs_zp = 3 : i64, rhs_scale = 5.000000e-02 : f32, rhs_zp = 3 : i64, output_scale = 5.000000e-02 : f32, output_zp = 3 : i64}
  tir.mul ins(%g, %h : !tir.buffer<70x1xi8>, !tir.buffer<1x70xi8>) outs(%gh : !tir.buffer<70x70xi8>) {lhs_zp = 3 : i64, rhs_zp = -5 : i64, output_zp = 1 : i64, output_multiplier = 1717987072 : i64, output_shift = -5 : i64, act_min = -128 : i64, act_max = 127 : i64, lhs_scale = 5.000000e-02 : f32, rhs_scale = 2.000000e-02 : f32, output_scale = 4.000000e-02 : f32}
}
