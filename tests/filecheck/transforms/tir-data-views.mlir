// tir-data-views: a concatenation's producers write their slices of the
// output (strided views of it) and the op goes; a stride-1 slice read only
// by ops the NPU runs becomes a view they read in place; what cannot be a
// view (a parameter's data, an input given twice, a CPU reader) is copied by
// a tir.copy; int32 data stays as it was. Every rewrite is equivalent, and
// the first program lowers to one command stream of strided feature maps.
//
// RUN: tirconst-opt --split-input-file %s -p tir-data-views | filecheck %s
// RUN: tirconst-opt --split-input-file %s -p tir-data-views -o %t && tirconst-run --check-equivalent --split-input-file %s %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-opt --split-input-file %s -p tir-data-views,tir-plan-memory,convert-tir-to-npu -o %t.npu 2>%t.err && filecheck %s --check-prefix=NPU < %t.npu
// RUN: tirconst-run --check-equivalent --split-input-file %s %t.npu | filecheck %s --check-prefix=SAME

// SAME-COUNT-6: equivalent: @main

// Channel concatenation of two pools, one reading a channel slice of the
// input in place.
// CHECK-LABEL: tir.func @main
// CHECK-NEXT:    %c = tir.allocate : !tir.buffer<1x2x2x5xi8>
// CHECK-NEXT:    %a = tir.decl_buffer %c[0] strides [12, 10, 5, 1] : !tir.buffer<1x2x2x5xi8> -> !tir.buffer<1x2x2x3xi8>
// CHECK-NEXT:    tir.max_pool2d ins(%input0 : {{.*}}) outs(%a : !tir.buffer<1x2x2x3xi8>)
// CHECK-NEXT:    %s = tir.decl_buffer %input0[1] strides [32, 12, 3, 1] : !tir.buffer<1x4x4x3xi8> -> !tir.buffer<1x4x4x2xi8>
// CHECK-NEXT:    %b = tir.decl_buffer %c[3] strides [8, 10, 5, 1] : !tir.buffer<1x2x2x5xi8> -> !tir.buffer<1x2x2x2xi8>
// CHECK-NEXT:    tir.max_pool2d ins(%s : {{.*}}) outs(%b : !tir.buffer<1x2x2x2xi8>)
// CHECK-NOT:     tir.concatenation
// CHECK-NOT:     tir.strided_slice
// CHECK-NEXT:    tir.max_pool2d ins(%c : {{.*}}) outs(%output0
// NPU-LABEL: tir.func @main
// NPU-NEXT:    tir.decl_buffer
// NPU-NEXT:    npu.invoke @main_npu0 ins(%input0 : !tir.buffer<1x4x4x3xi8>) outs(%output0 : !tir.buffer<1x2x2x5xi8>)
// NPU-NEXT:  }
// NPU:         npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 4, 3], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 3], region = 1, address = [[C:[0-9]+]], strides = [10, 5, 1]>
// NPU-NEXT:    npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 4, 2], region = 1, address = 1, strides = [12, 3, 1]>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, {{(address = [0-9]+, )?}}strides = [10, 5, 1]>
// NPU-NEXT:    npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [2, 2, 5], region = 1, address = [[C]]>
tir.func @main(%input0 : !tir.buffer<1x4x4x3xi8>, %output0 : !tir.buffer<1x2x2x5xi8>) {
  %a = tir.allocate : !tir.buffer<1x2x2x3xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x4x4x3xi8>) outs(%a : !tir.buffer<1x2x2x3xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
  %s = tir.allocate : !tir.buffer<1x4x4x2xi8>
  tir.strided_slice ins(%input0 : !tir.buffer<1x4x4x3xi8>) outs(%s : !tir.buffer<1x4x4x2xi8>) {begin = array<i64: 0, 0, 0, 1>, strides = array<i64: 1, 1, 1, 1>, size = array<i64: 1, 4, 4, 2>}
  %b = tir.allocate : !tir.buffer<1x2x2x2xi8>
  tir.max_pool2d ins(%s : !tir.buffer<1x4x4x2xi8>) outs(%b : !tir.buffer<1x2x2x2xi8>) {window = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 0, 0>, act_min = -100, act_max = 127}
  %c = tir.allocate : !tir.buffer<1x2x2x5xi8>
  tir.concatenation ins(%a, %b : !tir.buffer<1x2x2x3xi8>, !tir.buffer<1x2x2x2xi8>) outs(%c : !tir.buffer<1x2x2x5xi8>) {axis = 3}
  tir.max_pool2d ins(%c : !tir.buffer<1x2x2x5xi8>) outs(%output0 : !tir.buffer<1x2x2x5xi8>) {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 120}
}

// -----

// Width concatenation into a function output: a pool's result given twice
// and a model input are copied into their columns.
// CHECK-LABEL: tir.func @main
// CHECK-NEXT:    %a = tir.allocate : !tir.buffer<1x2x1x3xi8>
// CHECK-NEXT:    tir.max_pool2d ins(%input0 : {{.*}}) outs(%a : !tir.buffer<1x2x1x3xi8>)
// CHECK-NEXT:    %a_1 = tir.decl_buffer %output0[0] strides [6, 12, 3, 1] : !tir.buffer<1x2x4x3xi8> -> !tir.buffer<1x2x1x3xi8>
// CHECK-NEXT:    tir.copy ins(%a : {{.*}}) outs(%a_1 : !tir.buffer<1x2x1x3xi8>)
// CHECK-NEXT:    %input1_1 = tir.decl_buffer %output0[3] strides [12, 12, 3, 1] : !tir.buffer<1x2x4x3xi8> -> !tir.buffer<1x2x2x3xi8>
// CHECK-NEXT:    tir.copy ins(%input1 : {{.*}}) outs(%input1_1 : !tir.buffer<1x2x2x3xi8>)
// CHECK-NEXT:    %a_2 = tir.decl_buffer %output0[9] strides [6, 12, 3, 1] : !tir.buffer<1x2x4x3xi8> -> !tir.buffer<1x2x1x3xi8>
// CHECK-NEXT:    tir.copy ins(%a : {{.*}}) outs(%a_2 : !tir.buffer<1x2x1x3xi8>)
// CHECK-NEXT:  }
// NPU-LABEL: tir.func @main
// NPU:         npu.invoke @main_npu0 ins(%input0, %input1 : {{.*}}) outs(%output0 : !tir.buffer<1x2x4x3xi8>)
// NPU:         npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [2, 2, 3]{{.*}}, ofm = #npu.feature_map<int8, [2, 1, 3], region = 1{{[^>]*}}>, kernel = #npu.kernel<[1, 2]>
// NPU-NEXT:    npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [2, 1, 3], region = 1{{[^>]*}}>, ofm = #npu.feature_map<int8, [2, 1, 3], region = 1, {{(address = [0-9]+, )?}}strides = [12, 3, 1]>, kernel = #npu.kernel<[1, 1]>
// NPU-NEXT:    npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [2, 2, 3], region = 1{{[^>]*}}>, ofm = #npu.feature_map<int8, [2, 2, 3], region = 1, {{(address = [0-9]+, )?}}strides = [12, 3, 1]>, kernel = #npu.kernel<[1, 1]>
// NPU-NEXT:    npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [2, 1, 3], region = 1{{[^>]*}}>, ofm = #npu.feature_map<int8, [2, 1, 3], region = 1, {{(address = [0-9]+, )?}}strides = [12, 3, 1]>, kernel = #npu.kernel<[1, 1]>
tir.func @main(%input0 : !tir.buffer<1x2x2x3xi8>, %input1 : !tir.buffer<1x2x2x3xi8>, %output0 : !tir.buffer<1x2x4x3xi8>) {
  %a = tir.allocate : !tir.buffer<1x2x1x3xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x2x2x3xi8>) outs(%a : !tir.buffer<1x2x1x3xi8>) {window = array<i64: 1, 2>, stride = array<i64: 1, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
  tir.concatenation ins(%a, %input1, %a : !tir.buffer<1x2x1x3xi8>, !tir.buffer<1x2x2x3xi8>, !tir.buffer<1x2x1x3xi8>) outs(%output0 : !tir.buffer<1x2x4x3xi8>) {axis = 2}
}

// -----

// Height split of the input (SPLIT): the first part is read in place by a
// pool; the second part is a function output, so it is copied from its view.
// CHECK-LABEL: tir.func @main
// CHECK-NEXT:    %top = tir.decl_buffer %input0[0] : !tir.buffer<1x4x2x2xi8> -> !tir.buffer<1x2x2x2xi8>
// CHECK-NEXT:    tir.max_pool2d ins(%top : {{.*}}) outs(%output0
// CHECK-NEXT:    %output1_1 = tir.decl_buffer %input0[8] : !tir.buffer<1x4x2x2xi8> -> !tir.buffer<1x2x2x2xi8>
// CHECK-NEXT:    tir.copy ins(%output1_1 : !tir.buffer<1x2x2x2xi8>) outs(%output1 : !tir.buffer<1x2x2x2xi8>)
// NPU-LABEL: tir.func @main
// NPU:         npu.invoke @main_npu0 ins(%input0 : {{.*}}) outs(%output0, %output1 :
tir.func @main(%input0 : !tir.buffer<1x4x2x2xi8>, %output0 : !tir.buffer<1x1x1x2xi8>, %output1 : !tir.buffer<1x2x2x2xi8>) {
  %top = tir.allocate : !tir.buffer<1x2x2x2xi8>
  tir.strided_slice ins(%input0 : !tir.buffer<1x4x2x2xi8>) outs(%top : !tir.buffer<1x2x2x2xi8>) {begin = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1, 1, 1>, size = array<i64: 1, 2, 2, 2>}
  tir.max_pool2d ins(%top : !tir.buffer<1x2x2x2xi8>) outs(%output0 : !tir.buffer<1x1x1x2xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
  tir.strided_slice ins(%input0 : !tir.buffer<1x4x2x2xi8>) outs(%output1 : !tir.buffer<1x2x2x2xi8>) {begin = array<i64: 0, 2, 0, 0>, strides = array<i64: 1, 1, 1, 1>, size = array<i64: 1, 2, 2, 2>}
}

// -----

// UNPACK along the channels: the part is not a feature map in the output's
// shape (its channels are not contiguous), so it is copied from a view in
// the slice's own shape (1x2x2x1) into the output reshaped alike.
// CHECK-LABEL: tir.func @main
// CHECK-NEXT:    %output0_1 = tir.decl_buffer %input0[1] strides [4, 6, 3, 1] : !tir.buffer<1x2x2x3xi8> -> !tir.buffer<1x2x2x1xi8>
// CHECK-NEXT:    %0 = tir.reshape %output0 : !tir.buffer<1x2x2xi8> -> !tir.buffer<1x2x2x1xi8>
// CHECK-NEXT:    tir.copy ins(%output0_1 : {{.*}}) outs(%0 : !tir.buffer<1x2x2x1xi8>)
// NPU-LABEL: tir.func @main
// NPU:         npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [2, 2, 1], region = 1, address = 1, strides = [6, 3, 1]>
tir.func @main(%input0 : !tir.buffer<1x2x2x3xi8>, %output0 : !tir.buffer<1x2x2xi8>) {
  tir.strided_slice ins(%input0 : !tir.buffer<1x2x2x3xi8>) outs(%output0 : !tir.buffer<1x2x2xi8>) {begin = array<i64: 0, 0, 0, 1>, strides = array<i64: 1, 1, 1, 1>, size = array<i64: 1, 2, 2, 1>}
}

// -----

// A stride of 2 along the width is a feature-map stride; a reversed height
// is not: that slice stays, and stays on the CPU.
// CHECK-LABEL: tir.func @main
// CHECK-NEXT:    %output0_1 = tir.decl_buffer %input0[0] strides [12, 8, 4, 1] : !tir.buffer<1x3x4x2xi8> -> !tir.buffer<1x3x2x2xi8>
// CHECK-NEXT:    tir.copy
// CHECK-NEXT:    tir.strided_slice
// NPU-LABEL: tir.func @main
// NPU:         tir.strided_slice {{.*}}npu_cpu = "strided_slice: a negative stride (the NPU reads feature maps forwards)"
// NPU:         npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [3, 2, 2], region = 1, strides = [8, 4, 1]>
tir.func @main(%input0 : !tir.buffer<1x3x4x2xi8>, %output0 : !tir.buffer<1x3x2x2xi8>, %output1 : !tir.buffer<1x3x4x2xi8>) {
  tir.strided_slice ins(%input0 : !tir.buffer<1x3x4x2xi8>) outs(%output0 : !tir.buffer<1x3x2x2xi8>) {begin = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1, 2, 1>, size = array<i64: 1, 3, 2, 2>}
  tir.strided_slice ins(%input0 : !tir.buffer<1x3x4x2xi8>) outs(%output1 : !tir.buffer<1x3x4x2xi8>) {begin = array<i64: 0, 2, 0, 0>, strides = array<i64: 1, -1, 1, 1>, size = array<i64: 1, 3, 4, 2>}
}

// -----

// int32 data: the NPU does not copy it, the concatenation stays.
// CHECK-LABEL: tir.func @main
// CHECK:         tir.concatenation
// NPU-LABEL: tir.func @main
// NPU:         tir.concatenation {{.*}}npu_cpu = "concatenation: int32 data
tir.func @main(%input0 : !tir.buffer<2x3xi32>, %input1 : !tir.buffer<2x3xi32>, %output0 : !tir.buffer<2x6xi32>) {
  tir.concatenation ins(%input0, %input1 : !tir.buffer<2x3xi32>, !tir.buffer<2x3xi32>) outs(%output0 : !tir.buffer<2x6xi32>) {axis = 1}
}
