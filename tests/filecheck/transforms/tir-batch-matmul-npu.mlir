// tir.batch_matmul on the NPU: tir-legalize-npu gives both operands the
// depth as their last axis (a dynamic rhs through a tir.transpose into a new
// buffer, which tir-data-views makes NPU copies; a constant one as a new,
// transposed constant), sets adj_x = 0 and adj_y = 1, and adds a workspace
// for one step's int32 products; convert-tir-to-npu emits per batch and
// output row (M <= N) or column an int32 MUL of a matrix by a broadcast row
// and a REDUCE_SUM of the depth rescaled to int8. The lowered program equals
// the tir one bit for bit. An output multiplier above 1 keeps the op on the
// CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-data-views,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      tir.constant @w_t = dense<{{.*}}> : tensor<3x4xi8>
// LEGAL:      %[[T:.*]] = tir.allocate : !tir.buffer<2x5x4xi8>
// LEGAL-NEXT: tir.transpose ins(%b : !tir.buffer<2x4x5xi8>) outs(%[[T]] : !tir.buffer<2x5x4xi8>) {perm = array<i64: 0, 2, 1>}
// LEGAL-NEXT: %[[W:.*]] = tir.allocate : !tir.buffer<80xi8>
// LEGAL-NEXT: tir.batch_matmul ins(%a, %[[T]], %[[W]] : !tir.buffer<2x3x4xi8>, !tir.buffer<2x5x4xi8>, !tir.buffer<80xi8>) outs(%y : !tir.buffer<2x3x5xi8>) {adj_x = 0 : i64, adj_y = 1 : i64
// LEGAL:      %[[C:.*]] = tir.allocate_const @w_t : !tir.buffer<3x4xi8>
// LEGAL-NEXT: %[[V:.*]] = tir.allocate : !tir.buffer<96xi8>
// LEGAL-NEXT: tir.batch_matmul ins(%c, %[[C]], %[[V]] : !tir.buffer<6x4xi8>, !tir.buffer<3x4xi8>, !tir.buffer<96xi8>) outs(%z : !tir.buffer<6x3xi8>) {adj_x = 0 : i64, adj_y = 1 : i64
// LEGAL:      tir.batch_matmul ins(%c, %{{.*}} : !tir.buffer<6x4xi8>, !tir.buffer<4x3xi8>) outs(%big

// SAME: equivalent: @main
// REMARK: remark: 'tir.batch_matmul' op in @main stays on the CPU: batch_matmul: the output multiplier (shift 1) is not below 1

// CHECK:      npu.invoke @main_npu0
// CHECK:      tir.batch_matmul {{.*}}npu_cpu = "batch_matmul: the output multiplier (shift 1) is not below 1"
// CHECK:      npu.command_stream @main_npu0
// CHECK-NEXT:   npu.region 0 constant
// CHECK-NEXT:   npu.region 1 scratch
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [5, 4, 1], region = 1, strides = [1, 5, 1]>
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [5, 4, 1], region = 1, address = 20, strides = [1, 5, 1]>
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [1, 5, 4]{{.*}}zero_point = 3>, ifm2 = #npu.feature_map<int8, [1, 1, 4], region = 1, address = {{[0-9]+}}, zero_point = -2>, ofm = #npu.feature_map<int32, [1, 5, 4]{{.*}}ofm_scale = array<i64: 1, 0>
// CHECK-NEXT:   npu.pooling {pool_type = "reduce_sum", ifm = #npu.feature_map<int32, [1, 5, 4]{{.*}}ofm = #npu.feature_map<int8, [1, 5, 1], region = 1, address = {{[0-9]+}}, zero_point = 10>{{.*}}rescale = array<i64: 1073741824, 39>
// CHECK-COUNT-10: npu.{{elementwise|pooling}} {
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [6, 1, 4]{{.*}}zero_point = 5>, ifm2 = #npu.feature_map<int8, [1, 1, 4], address = 16>
// CHECK-NEXT:   npu.pooling {pool_type = "reduce_sum", {{.*}}ofm = #npu.feature_map<int8, [6, 1, 1]{{.*}}strides = [3, 1, 1], zero_point = -3>{{.*}}rescale = array<i64: 1300000000, 37>
// CHECK-COUNT-4: npu.{{elementwise|pooling}} {
// CHECK-NEXT: }

tir.constant @w = dense<[[1, -2, 3], [4, -5, 6], [7, -8, 9], [-10, 11, 127]]> : tensor<4x3xi8>
tir.func @main(%a : !tir.buffer<2x3x4xi8>, %b : !tir.buffer<2x4x5xi8>, %y : !tir.buffer<2x3x5xi8>,
               %c : !tir.buffer<6x4xi8>, %z : !tir.buffer<6x3xi8>, %big : !tir.buffer<6x3xi8>) {
  tir.batch_matmul ins(%a, %b : !tir.buffer<2x3x4xi8>, !tir.buffer<2x4x5xi8>) outs(%y : !tir.buffer<2x3x5xi8>)
      {adj_x = 0, adj_y = 0, lhs_zp = -2, rhs_zp = 3, output_zp = 10, multiplier = 1073741824, shift = -8}
  %w = tir.allocate_const @w : !tir.buffer<4x3xi8>
  tir.batch_matmul ins(%c, %w : !tir.buffer<6x4xi8>, !tir.buffer<4x3xi8>) outs(%z : !tir.buffer<6x3xi8>)
      {adj_x = 0, adj_y = 0, lhs_zp = 5, rhs_zp = 0, output_zp = -3, multiplier = 1300000000, shift = -6}
  tir.batch_matmul ins(%c, %w : !tir.buffer<6x4xi8>, !tir.buffer<4x3xi8>) outs(%big : !tir.buffer<6x3xi8>)
      {adj_x = 0, adj_y = 0, lhs_zp = 0, rhs_zp = 0, output_zp = 0, multiplier = 1073741824, shift = 1}
}
