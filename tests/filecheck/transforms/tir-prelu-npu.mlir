// tir.prelu on the NPU: tir-legalize-npu adds a workspace for four int8
// maps; convert-tir-to-npu emits min(x, zp) and max(x, zp) (the scalar zp,
// raw values), the negative branch xn * alpha (MUL with OFM_SCALE (alpha
// multiplier, 31 - alpha shift)), the positive branch (a 1x1 average pool
// with rescale (identity multiplier, 31 - identity shift)), and their raw
// ADD less one output zero point. The lowered program equals the tir one
// bit for bit. Alpha broadcast over a batch over 1 stays on the CPU.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      %[[W:.*]] = tir.allocate : !tir.buffer<64xi8>
// LEGAL-NEXT: tir.prelu ins(%x, %a, %[[W]] : !tir.buffer<1x2x2x3xi8>, !tir.buffer<3xi8>, !tir.buffer<64xi8>) outs(%y
// LEGAL:      tir.prelu ins(%b, %a : !tir.buffer<2x1x1x3xi8>, !tir.buffer<3xi8>) outs(%z

// SAME: equivalent: @main
// REMARK: remark: 'tir.prelu' op in @main stays on the CPU: prelu: shape [2, 1, 1, 3] (alpha [3]) is no NPU feature map

// CHECK:      npu.invoke @main_npu0
// CHECK:      tir.prelu {{.*}}npu_cpu = "prelu: shape [2, 1, 1, 3]
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.elementwise {op_type = "min", ifm = #npu.feature_map<int8, [2, 2, 3]{{.*}}zero_point = -5>{{.*}}ifm2_scalar = -5.000000e+00 : f64}
// CHECK-NEXT:   npu.elementwise {op_type = "max", {{.*}}ifm2_scalar = -5.000000e+00 : f64}
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [2, 2, 3]{{.*}}ifm2 = #npu.feature_map<int8, [1, 1, 3]{{.*}}zero_point = 2>{{.*}}ofm_scale = array<i64: 1073741824, 37>
// CHECK-NEXT:   npu.pooling {pool_type = "average", {{.*}}ofm = #npu.feature_map<int8, [2, 2, 3]{{.*}}zero_point = 9>{{.*}}rescale = array<i64: 1073741824, 30>
// CHECK-NEXT:   npu.elementwise {op_type = "add", {{.*}}ofm = #npu.feature_map<int8, [2, 2, 3]{{.*}}zero_point = 9>{{.*}}ofm_scale = array<i64: 1, 0>, operand_scales = array<i64: 1, 0, 1, 0>
// CHECK-NEXT: }

tir.constant @alpha = dense<[3, -7, 100]> : tensor<3xi8>
tir.func @main(%x : !tir.buffer<1x2x2x3xi8>, %y : !tir.buffer<1x2x2x3xi8>,
               %b : !tir.buffer<2x1x1x3xi8>, %z : !tir.buffer<2x1x1x3xi8>) {
  %a = tir.allocate_const @alpha : !tir.buffer<3xi8>
  tir.prelu ins(%x, %a : !tir.buffer<1x2x2x3xi8>, !tir.buffer<3xi8>) outs(%y : !tir.buffer<1x2x2x3xi8>)
      {input_zp = -5, alpha_zp = 2, output_zp = 9,
       identity_multiplier = 1073741824, identity_shift = 1,
       alpha_multiplier = 1073741824, alpha_shift = -6}
  tir.prelu ins(%b, %a : !tir.buffer<2x1x1x3xi8>, !tir.buffer<3xi8>) outs(%z : !tir.buffer<2x1x1x3xi8>)
      {input_zp = 0, alpha_zp = 0, output_zp = 0,
       identity_multiplier = 1073741824, identity_shift = 0,
       alpha_multiplier = 1073741824, alpha_shift = -6}
}
