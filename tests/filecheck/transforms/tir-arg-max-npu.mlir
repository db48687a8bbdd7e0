// tir.arg_max on the NPU: tir-legalize-npu adds the int16 constant of
// 127 - c per channel and a workspace (planned like any buffer);
// convert-tir-to-npu emits the keys 128 * x (a MUL by the scalar 128) plus
// 127 - c (an ADD), the max pools of 128 * x and of the keys over the
// channels seen as width, and their SUB with the keys' zero point 127: the
// first index of the maximum, to int32, or to the low words of an int64
// output (a SUB of a maximum from itself zeroes the high words). The lowered
// program equals the tir one bit for bit. Along another axis than the depth,
// or over more than 127 channels, it stays on the CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL-DAG:  tir.constant @arg_max_indices = dense<[127, 126, 125, 124, 123, 122, 121, 120, 119, 118]> : tensor<10xi16>
// LEGAL-DAG:  tir.constant @arg_max_indices1 = dense<[127, 126, 125, 124, 123]> : tensor<5xi16>
// LEGAL:      %[[I:.*]] = tir.allocate_const @arg_max_indices : !tir.buffer<10xi16>
// LEGAL-NEXT: %[[W:.*]] = tir.allocate : !tir.buffer<96xi8>
// LEGAL-NEXT: tir.arg_max ins(%x, %[[I]], %[[W]] : !tir.buffer<3x10xi8>, !tir.buffer<10xi16>, !tir.buffer<96xi8>) outs(%y : !tir.buffer<3xi32>) {axis = 1 : i64}
// LEGAL:      tir.arg_max ins(%z, %{{.*}}, %{{.*}} : !tir.buffer<2x4x5xi8>, !tir.buffer<5xi16>, !tir.buffer<112xi8>) outs(%y64 : !tir.buffer<2x4xi64>)
// LEGAL:      tir.arg_max ins(%x : !tir.buffer<3x10xi8>) outs(%rows : !tir.buffer<10xi32>) {axis = 0 : i64}
// LEGAL:      tir.arg_max ins(%wide : !tir.buffer<2x130xi8>) outs(%ywide : !tir.buffer<2xi32>) {axis = 1 : i64}

// SAME: equivalent: @main
// REMARK-DAG: remark: 'tir.arg_max' op in @main stays on the CPU: arg_max: along axis 0 of 2, not the depth (the NPU takes the maximum over channels)
// REMARK-DAG: remark: 'tir.arg_max' op in @main stays on the CPU: arg_max: IFM depth 130 exceeds 127 (the index takes the 7 low bits of each int16 key)

// CHECK:      npu.command_stream @main_npu0
// CHECK-NEXT:   npu.region
// CHECK-NEXT:   npu.region
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int8, [3, 1, 10]{{.*}}ofm = #npu.feature_map<int16, [3, 1, 10]{{.*}}ifm2_scalar = 1.280000e+02
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int16, [3, 10, 1]{{.*}}ofm = #npu.feature_map<int16, [3, 1, 1]{{.*}}kernel = #npu.kernel<[1, 10]>
// CHECK-NEXT:   npu.elementwise {op_type = "add", ifm = #npu.feature_map<int16, [3, 1, 10]{{.*}}ifm2 = #npu.feature_map<int16, [1, 1, 10]
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int16, [3, 10, 1]
// CHECK-NEXT:   npu.elementwise {op_type = "sub", ifm = #npu.feature_map<int16, [3, 1, 1]{{.*}}ofm = #npu.feature_map<int32, [3, 1, 1]{{.*}}ifm2 = #npu.feature_map<int16, [3, 1, 1]{{.*}}zero_point = 127>
// CHECK:        npu.elementwise {op_type = "sub", {{.*}}ofm = #npu.feature_map<int32, [8, 1, 1]{{.*}}strides = [8, 8, 4]>
// CHECK-NEXT:   npu.elementwise {op_type = "sub", {{.*}}ofm = #npu.feature_map<int32, [8, 1, 1]{{.*}}strides = [8, 8, 4]>
// CHECK-NEXT: }

tir.func @main(%x : !tir.buffer<3x10xi8>, %y : !tir.buffer<3xi32>,
               %z : !tir.buffer<2x4x5xi8>, %y64 : !tir.buffer<2x4xi64>,
               %rows : !tir.buffer<10xi32>,
               %wide : !tir.buffer<2x130xi8>, %ywide : !tir.buffer<2xi32>) {
  tir.arg_max ins(%x : !tir.buffer<3x10xi8>) outs(%y : !tir.buffer<3xi32>) {axis = 1}
  tir.arg_max ins(%z : !tir.buffer<2x4x5xi8>) outs(%y64 : !tir.buffer<2x4xi64>) {axis = 2}
  tir.arg_max ins(%x : !tir.buffer<3x10xi8>) outs(%rows : !tir.buffer<10xi32>) {axis = 0}
  tir.arg_max ins(%wide : !tir.buffer<2x130xi8>) outs(%ywide : !tir.buffer<2xi32>) {axis = 1}
}
