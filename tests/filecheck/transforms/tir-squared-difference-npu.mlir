// tir.squared_difference on the NPU: tir-legalize-npu adds a workspace for
// the int32 maps (planned like any buffer); convert-tir-to-npu emits Vela's
// sequence: per operand a MUL by the scalar 128 (IFM2 zero point -128) with
// OFM_SCALE (multiplier, 31 - shift) to int32, the int32 SUB (the
// broadcasting operand as IFM2, reversed when it is the lhs), the int32
// square, and a one-channel REDUCE_SUM rescaling it to int8. The lowered
// program equals the tir one bit for bit. An output multiplier above 1
// keeps the op on the CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      %[[W:.*]] = tir.allocate : !tir.buffer<208xi8>
// LEGAL-NEXT: tir.squared_difference ins(%a, %b, %[[W]] : !tir.buffer<2x3x4xi8>, !tir.buffer<4xi8>, !tir.buffer<208xi8>) outs(%y
// LEGAL:      %[[V:.*]] = tir.allocate : !tir.buffer<224xi8>
// LEGAL-NEXT: tir.squared_difference ins(%c, %d, %[[V]] : !tir.buffer<1x6xi8>, !tir.buffer<4x6xi8>, !tir.buffer<224xi8>) outs(%z
// LEGAL:      tir.squared_difference ins(%a, %a : !tir.buffer<2x3x4xi8>, !tir.buffer<2x3x4xi8>) outs(%big

// SAME: equivalent: @main
// REMARK: remark: 'tir.squared_difference' op in @main stays on the CPU: squared_difference: the output multiplier exceeds 1

// CHECK:      npu.invoke @main_npu0
// CHECK:      tir.squared_difference {{.*}}npu_cpu = "squared_difference: the output multiplier exceeds 1
// CHECK:      npu.command_stream @main_npu0
// CHECK-NEXT:   npu.region
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [2, 3, 4]{{.*}}zero_point = -5>, ifm2 = #npu.feature_map<int8, [1, 1, 1]{{.*}}zero_point = -128>, ofm = #npu.feature_map<int32, [2, 3, 4]{{.*}}ofm_scale = array<i64: 1073741824, 31>, ifm2_scalar = 1.280000e+02 : f64}
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [1, 1, 4]{{.*}}zero_point = 7>, {{.*}}ofm = #npu.feature_map<int32, [1, 1, 4]{{.*}}ofm_scale = array<i64: 1288490141, 32>, ifm2_scalar = 1.280000e+02 : f64}
// CHECK-NEXT:   npu.elementwise {op_type = "sub", ifm = #npu.feature_map<int32, [2, 3, 4]{{.*}}ifm2 = #npu.feature_map<int32, [1, 1, 4]
// CHECK-NOT:    reversed_operands
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int32, [2, 3, 4]{{.*}}ofm_scale = array<i64: 1, 0>
// CHECK-NEXT:   npu.pooling {pool_type = "reduce_sum", ifm = #npu.feature_map<int32, [2, 12, 1]{{.*}}ofm = #npu.feature_map<int8, [2, 12, 1]{{.*}}zero_point = 3>{{.*}}rescale = array<i64: 1073741880, 45>
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [1, 1, 6]
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [1, 4, 6]
// CHECK-NEXT:   npu.elementwise {op_type = "sub", ifm = #npu.feature_map<int32, [1, 4, 6]{{.*}}ifm2 = #npu.feature_map<int32, [1, 1, 6]{{.*}}reversed_operands
// CHECK-NEXT:   npu.elementwise {op_type = "mul"
// CHECK-NEXT:   npu.pooling {pool_type = "reduce_sum", {{.*}}rescale = array<i64: 1099511562, 48>
// CHECK-NEXT: }

tir.func @main(%a : !tir.buffer<2x3x4xi8>, %b : !tir.buffer<4xi8>, %y : !tir.buffer<2x3x4xi8>,
               %c : !tir.buffer<1x6xi8>, %d : !tir.buffer<4x6xi8>, %z : !tir.buffer<4x6xi8>,
               %big : !tir.buffer<2x3x4xi8>) {
  tir.squared_difference ins(%a, %b : !tir.buffer<2x3x4xi8>, !tir.buffer<4xi8>) outs(%y : !tir.buffer<2x3x4xi8>)
      {lhs_zp = -5, rhs_zp = 7, output_zp = 3, left_shift = 7,
       lhs_multiplier = 1073741824, lhs_shift = 0, rhs_multiplier = 1288490141, rhs_shift = -1,
       output_multiplier = 1073741880, output_shift = -14,
       lhs_scale = 0.05 : f32, rhs_scale = 0.03 : f32, output_scale = 0.02 : f32}
  tir.squared_difference ins(%c, %d : !tir.buffer<1x6xi8>, !tir.buffer<4x6xi8>) outs(%z : !tir.buffer<4x6xi8>)
      {lhs_zp = 0, rhs_zp = -128, output_zp = -100, left_shift = 7,
       lhs_multiplier = 1073741824, lhs_shift = -1, rhs_multiplier = 1073741824, rhs_shift = 0,
       output_multiplier = 1099511562, output_shift = -17,
       lhs_scale = 0.02 : f32, rhs_scale = 0.04 : f32, output_scale = 0.1 : f32}
  tir.squared_difference ins(%a, %a : !tir.buffer<2x3x4xi8>, !tir.buffer<2x3x4xi8>) outs(%big : !tir.buffer<2x3x4xi8>)
      {lhs_zp = 1, rhs_zp = 1, output_zp = 0, left_shift = 7,
       lhs_multiplier = 1073741824, lhs_shift = 0, rhs_multiplier = 1073741824, rhs_shift = 0,
       output_multiplier = 1073741824, output_shift = 1}
}
