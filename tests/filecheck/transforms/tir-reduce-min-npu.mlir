// tir.reduce_min on the NPU: tir-legalize-npu makes an int8 REDUCE_MIN
// min(x) = ~max(~x) (~x = -1 - x maps the int8 values onto themselves,
// reversing their order): a tir.lookup of ~, the tir.reduce_max (then one
// max pool over reshaped views) and a lookup of ~ that convert-tir-to-npu
// fuses into the pool as its table activation. The lowered program equals
// the tir one bit for bit. A reduction over axes that are not adjacent
// stays on the CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      tir.constant @complement_table = dense<"0x7f7e7d7c{{.*}}83828180"> : tensor<256xi8>
// LEGAL:      %[[T:.*]] = tir.allocate_const @complement_table : !tir.buffer<256xi8>
// LEGAL:      tir.lookup ins(%x, %[[T]] : !tir.buffer<1x4x6x8xi8>, !tir.buffer<256xi8>) outs(%[[F:.*]] : !tir.buffer<1x4x6x8xi8>)
// LEGAL:      tir.max_pool2d ins(%[[F]] : !tir.buffer<1x4x6x8xi8>) outs(%[[M:.*]] : !tir.buffer<1x1x1x8xi8>) {window = array<i64: 4, 6>
// LEGAL:      tir.lookup ins(%[[M]], %[[T]] : !tir.buffer<1x1x1x8xi8>, !tir.buffer<256xi8>) outs(%{{.*}} : !tir.buffer<1x1x1x8xi8>)
// LEGAL:      tir.reduce_min ins(%w : !tir.buffer<3x4x5xi8>) outs(%z

// SAME: equivalent: @main
// REMARK: remark: 'tir.reduce_min' op in @main stays on the CPU: reduce_min: reduced axes [0, 2] of shape [3, 4, 5] are not contiguous

// CHECK:      npu.invoke @main_npu0
// CHECK:      tir.reduce_min {{.*}}npu_cpu = "reduce_min: reduced axes [0, 2]
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.dma
// CHECK-NEXT:   npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [4, 6, 8]{{.*}}kernel = #npu.kernel<[1, 1]>{{.*}}activation = #npu.activation<table>
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 6, 8]{{.*}}ofm = #npu.feature_map<int8, [1, 1, 8]{{.*}}kernel = #npu.kernel<[4, 6]>{{.*}}activation = #npu.activation<table>
// CHECK-NEXT: }

tir.func @main(%x : !tir.buffer<1x4x6x8xi8>, %y : !tir.buffer<1x8xi8>,
               %w : !tir.buffer<3x4x5xi8>, %z : !tir.buffer<4xi8>) {
  tir.reduce_min ins(%x : !tir.buffer<1x4x6x8xi8>) outs(%y : !tir.buffer<1x8xi8>) {axes = array<i64: 1, 2>}
  tir.reduce_min ins(%w : !tir.buffer<3x4x5xi8>) outs(%z : !tir.buffer<4xi8>) {axes = array<i64: 0, 2>}
}
