// tir-data-views on tir.transpose: an int8/int16 transpose becomes NPU
// copies between strided views of its input and its output (a channel
// shuffle: one copy of one channel per group; an H/W swap: one copy with
// the channels contiguous; a full reversal: one copy per enumerated axis);
// int32 data stays a transpose (on the CPU, with a remark). Every rewrite is
// equivalent, and lowered to the NPU too.
//
// RUN: tirconst-opt --split-input-file %s -p tir-data-views | filecheck %s
// RUN: tirconst-opt --split-input-file %s -p tir-data-views -o %t && tirconst-run --check-equivalent --split-input-file %s %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-opt --split-input-file %s -p tir-data-views,tir-plan-memory,convert-tir-to-npu -o %t.npu 2>%t.err && filecheck %s --check-prefix=NPU < %t.npu && filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent --split-input-file %s %t.npu | filecheck %s --check-prefix=SAME

// SAME-COUNT-4: equivalent: @main
// Channel shuffle of 2 groups of 3 channels (reshape, transpose, reshape).
// CHECK-LABEL: tir.func @main
// CHECK-NEXT:    %r = tir.reshape %input0
// CHECK-NEXT:    %t = tir.allocate
// CHECK-NEXT:    %[[A:.*]] = tir.decl_buffer %input0[0] strides [6, 1, 1] : !tir.buffer<1x2x3x6xi8> -> !tir.buffer<6x3x1xi8>
// CHECK-NEXT:    %[[B:.*]] = tir.decl_buffer %t[0] strides [6, 2, 1] : !tir.buffer<1x2x3x3x2xi8> -> !tir.buffer<6x3x1xi8>
// CHECK-NEXT:    tir.copy ins(%[[A]] : !tir.buffer<6x3x1xi8>) outs(%[[B]] : !tir.buffer<6x3x1xi8>)
// CHECK-NEXT:    %[[C:.*]] = tir.decl_buffer %input0[3] strides [6, 1, 1]
// CHECK-NEXT:    %[[D:.*]] = tir.decl_buffer %t[1] strides [6, 2, 1]
// CHECK-NEXT:    tir.copy ins(%[[C]] : !tir.buffer<6x3x1xi8>) outs(%[[D]] : !tir.buffer<6x3x1xi8>)
// CHECK-NEXT:    %o = tir.reshape %t
// NPU-LABEL: tir.func @main
// NPU:         npu.invoke @main_npu0
// NPU:         npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [6, 3, 1], region = 1, strides = [6, 1, 1]>, ofm = #npu.feature_map<int8, [6, 3, 1], region = 1, address = [[T:[0-9]+]], strides = [6, 2, 1]>
// NPU-NEXT:    npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [6, 3, 1], region = 1, address = 3, strides = [6, 1, 1]>, ofm = #npu.feature_map<int8, [6, 3, 1], region = 1, address = {{[0-9]+}}, strides = [6, 2, 1]>
// NPU-NEXT:    npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [2, 3, 6], region = 1, address = [[T]]>
tir.func @main(%input0 : !tir.buffer<1x2x3x6xi8>, %output0 : !tir.buffer<1x2x3x6xi8>) {
  %r = tir.reshape %input0 : !tir.buffer<1x2x3x6xi8> -> !tir.buffer<1x2x3x2x3xi8>
  %t = tir.allocate : !tir.buffer<1x2x3x3x2xi8>
  tir.transpose ins(%r : !tir.buffer<1x2x3x2x3xi8>) outs(%t : !tir.buffer<1x2x3x3x2xi8>) {perm = array<i64: 0, 1, 2, 4, 3>}
  %o = tir.reshape %t : !tir.buffer<1x2x3x3x2xi8> -> !tir.buffer<1x2x3x6xi8>
  tir.max_pool2d ins(%o : !tir.buffer<1x2x3x6xi8>) outs(%output0 : !tir.buffer<1x2x3x6xi8>) {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 120}
}

// -----

// An H/W swap of int16 data: one copy, the channels contiguous.
// CHECK-LABEL: tir.func @main
// CHECK-NEXT:    %input0_1 = tir.decl_buffer %input0[0] strides [4, 12, 1] : !tir.buffer<1x2x3x4xi16> -> !tir.buffer<3x2x4xi16>
// CHECK-NEXT:    %output0_1 = tir.decl_buffer %output0[0] : !tir.buffer<1x3x2x4xi16> -> !tir.buffer<3x2x4xi16>
// CHECK-NEXT:    tir.copy ins(%input0_1 : !tir.buffer<3x2x4xi16>) outs(%output0_1 : !tir.buffer<3x2x4xi16>)
// CHECK-NEXT:  }
// NPU-LABEL: tir.func @main
// NPU:         npu.pooling {pool_type = "max", ifm = #npu.feature_map<int16, [3, 2, 4], region = 1, strides = [8, 24, 2]>, ofm = #npu.feature_map<int16, [3, 2, 4], region = 1, address = {{[0-9]+}}>
tir.func @main(%input0 : !tir.buffer<1x2x3x4xi16>, %output0 : !tir.buffer<1x3x2x4xi16>) {
  tir.transpose ins(%input0 : !tir.buffer<1x2x3x4xi16>) outs(%output0 : !tir.buffer<1x3x2x4xi16>) {perm = array<i64: 0, 2, 1, 3>}
}

// -----

// All four axes reversed: the two longest are H and W, one copy per batch
// and row of the third (2 x 3 copies of one channel).
// CHECK-LABEL: tir.func @main
// CHECK-COUNT-6: tir.copy ins(%input0_{{[0-9]}} : !tir.buffer<5x4x1xi8>) outs(%output0_{{[0-9]}} : !tir.buffer<5x4x1xi8>)
// CHECK-NOT:     tir.transpose
// NPU-LABEL: tir.func @main
// NPU-COUNT-6: npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [5, 4, 1], region = 1, {{(address = [0-9]+, )?}}strides = [1, 5, 1]>
tir.func @main(%input0 : !tir.buffer<2x3x4x5xi8>, %output0 : !tir.buffer<5x4x3x2xi8>) {
  tir.transpose ins(%input0 : !tir.buffer<2x3x4x5xi8>) outs(%output0 : !tir.buffer<5x4x3x2xi8>) {perm = array<i64: 3, 2, 1, 0>}
}

// -----

// int32 data: the NPU copies int8 and int16 only; the transpose stays.
// CHECK-LABEL: tir.func @main
// CHECK-NEXT:    tir.transpose
// REMARK: 'tir.transpose' op in @main stays on the CPU: transpose: int32 data
tir.func @main(%input0 : !tir.buffer<2x3xi32>, %output0 : !tir.buffer<3x2xi32>) {
  tir.transpose ins(%input0 : !tir.buffer<2x3xi32>) outs(%output0 : !tir.buffer<3x2xi32>) {perm = array<i64: 1, 0>}
}
