// tir.reverse, tir.tile and tir.mirror_pad on the NPU: tir-legalize-npu
// makes each, along every axis it changes, a tir.concatenation of
// tir.strided_slices of its input (single elements last first, the whole
// axis repeated, mirrored single elements around the axis), axis after
// axis through new buffers; tir-data-views makes them NPU copies between
// strided feature maps. The lowered program equals the tir one bit for
// bit. A batch over 1 keeps the op whole on the CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-data-views,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      tir.strided_slice ins(%x : !tir.buffer<3x4xi8>) outs(%{{.*}} : !tir.buffer<3x1xi8>) {begin = array<i64: 0, 3>, strides = array<i64: 1, 1>, size = array<i64: 3, 1>}
// LEGAL-COUNT-3: tir.strided_slice ins(%x
// LEGAL:      tir.concatenation ins({{.*}}) outs(%r : !tir.buffer<3x4xi8>) {axis = 1 : i64}
// LEGAL:      tir.concatenation ins(%t, %t, %t : {{.*}}) outs(%[[T:.*]] : !tir.buffer<6x3xi16>) {axis = 0 : i64}
// LEGAL-NEXT: tir.concatenation ins(%[[T]], %[[T]] : {{.*}}) outs(%tt : !tir.buffer<6x6xi16>) {axis = 1 : i64}
// LEGAL:      tir.strided_slice ins(%m : !tir.buffer<2x3x4xi8>) outs(%{{.*}} : !tir.buffer<2x3x1xi8>) {begin = array<i64: 0, 0, 1>
// LEGAL:      tir.concatenation ins(%{{.*}}, %m, %{{.*}} : !tir.buffer<2x3x1xi8>, !tir.buffer<2x3x4xi8>, !tir.buffer<2x3x1xi8>) outs(%mm : !tir.buffer<2x3x6xi8>) {axis = 2 : i64}
// LEGAL:      tir.reverse ins(%b : !tir.buffer<2x2x3x4xi8>) outs(%rb

// SAME: equivalent: @main
// REMARK: remark: 'tir.reverse' op in @main stays on the CPU: reverse: shape [2, 2, 3, 4] is not a dense NPU feature map (H×W×C, batch 1)

// CHECK:      npu.invoke @main_npu0
// CHECK:      tir.reverse {{.*}}npu_cpu = "reverse: shape [2, 2, 3, 4] is not a dense NPU feature map
// CHECK:      npu.command_stream @main_npu0
// CHECK-NOT:  tir.
// CHECK-COUNT-4: npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [1, 3, 1]

tir.func @main(%x : !tir.buffer<3x4xi8>, %r : !tir.buffer<3x4xi8>,
               %t : !tir.buffer<2x3xi16>, %tt : !tir.buffer<6x6xi16>,
               %m : !tir.buffer<2x3x4xi8>, %mm : !tir.buffer<2x3x6xi8>,
               %b : !tir.buffer<2x2x3x4xi8>, %rb : !tir.buffer<2x2x3x4xi8>) {
  tir.reverse ins(%x : !tir.buffer<3x4xi8>) outs(%r : !tir.buffer<3x4xi8>) {axes = array<i64: 1>}
  tir.tile ins(%t : !tir.buffer<2x3xi16>) outs(%tt : !tir.buffer<6x6xi16>) {multiples = array<i64: 3, 2>}
  tir.mirror_pad ins(%m : !tir.buffer<2x3x4xi8>) outs(%mm : !tir.buffer<2x3x6xi8>) {padding = array<i64: 0, 0, 0, 0, 1, 1>, mode = 0}
  tir.reverse ins(%b : !tir.buffer<2x2x3x4xi8>) outs(%rb : !tir.buffer<2x2x3x4xi8>) {axes = array<i64: 0>}
}
