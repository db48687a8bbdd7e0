// RUN: tirconst-opt %s -p tir-pair-columns | filecheck %s
// RUN: tirconst-opt %s -p tir-pair-columns -o %t
// RUN: tirconst-run --check-equivalent %s %t --function main
// RUN: tirconst-run --check-equivalent %s %t --function odd
// RUN: tirconst-run --check-equivalent %s %t --function rgb
// RUN: tirconst-run --check-equivalent %s %t --function inner
// RUN: tirconst-opt %s -p 'tir-pair-columns{by-cost=ethos-u55-128}' | filecheck %s --check-prefix=COST
// RUN: not tirconst-opt %s -p 'tir-pair-columns{by-cost=ethos-u99}' 2>&1 | filecheck %s --check-prefix=BAD

// A 3x3 stride-2 conv over 6x8x1 with a padding of one: over column pairs
// (6x4x2) a stride-1 conv of a 3x2x2 filter. The left padding is odd, so
// the taps start one column into the first pair (a zero tap before them);
// the padded pair on the left is the padded column and that zero tap.
// CHECK:       tir.constant @filter_pairs = dense<"0x002c4e86004ff804{{.*}}"> : tensor<4x3x2x2xi8>
// CHECK-LABEL: tir.func @main
// CHECK:         %[[V:.*]] = tir.reshape %input0 : !tir.buffer<1x6x8x1xi8> -> !tir.buffer<1x6x4x2xi8>
// CHECK-NEXT:    %[[W:.*]] = tir.allocate_const @filter_pairs : !tir.buffer<4x3x2x2xi8>
// CHECK-NEXT:    tir.conv2d ins(%[[V]], %[[W]], %b : {{.*}}) outs(%output0 : !tir.buffer<1x3x4x4xi8>) {stride = array<i64: 2, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 0>,
// An odd width does not split into pairs: left alone.
// CHECK-LABEL: tir.func @odd
// CHECK:         tir.conv2d ins(%input0, %w, %b : !tir.buffer<1x6x7x1xi8>, !tir.buffer<4x3x3x1xi8>,
// Three channels of the function's own input (a network's RGB input): over
// column pairs (6x4x6) a 3x2x6 filter, the taps of column 2j + b at pair j,
// channels 3b to 3b + 2.
// CHECK-LABEL: tir.func @rgb
// CHECK:         %[[V3:.*]] = tir.reshape %input0 : !tir.buffer<1x6x8x3xi8> -> !tir.buffer<1x6x4x6xi8>
// CHECK-NEXT:    %[[W3:.*]] = tir.allocate_const @{{.*}} : !tir.buffer<4x3x2x6xi8>
// CHECK-NEXT:    tir.conv2d ins(%[[V3]], %[[W3]], %b : {{.*}}) outs(%output0 : !tir.buffer<1x3x4x4xi8>) {stride = array<i64: 2, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 0>,
// Three channels an op writes are not seen as pairs (the feature map could
// then not be stored in bricks): left alone.
// CHECK-LABEL: tir.func @inner
// CHECK:         tir.conv2d ins(%x, %w, %b : !tir.buffer<1x6x8x3xi8>, !tir.buffer<4x3x3x3xi8>,

// The cycle model finds the paired conv faster (a third fewer kernel steps).
// COST-LABEL: tir.func @main
// COST:         tir.conv2d ins(%{{.*}}, %{{.*}}, %b : !tir.buffer<1x6x4x2xi8>, !tir.buffer<4x3x2x2xi8>
// And the paired RGB conv (3x2 kernel steps of one 8-channel block, not 3x3).
// COST-LABEL: tir.func @rgb
// COST:         tir.conv2d ins(%{{.*}}, %{{.*}}, %b : !tir.buffer<1x6x4x6xi8>, !tir.buffer<4x3x2x6xi8>

// BAD: tir-pair-columns: unknown accelerator 'ethos-u99' for by-cost

builtin.module {
tir.func @main(%input0 : !tir.buffer<1x6x8x1xi8>, %output0 : !tir.buffer<1x3x4x4xi8>) {
  %w = tir.allocate_const dense<"0x2c4e864ff80421c97a8ec7e212e9a28c818da67fb12740bcc8efc479ae654c589ee521fe"> : !tir.buffer<4x3x3x1xi8>
  %b = tir.allocate_const dense<"0x7a060000e60600005d060000d8eeffff"> : !tir.buffer<4xi32>
  tir.conv2d ins(%input0, %w, %b : !tir.buffer<1x6x8x1xi8>, !tir.buffer<4x3x3x1xi8>, !tir.buffer<4xi32>)
      outs(%output0 : !tir.buffer<1x3x4x4xi8>)
      {stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>,
       pad = array<i64: 1, 1, 1, 1>, input_zp = 3, output_zp = -2,
       multiplier = array<i32: 2103566945, 1670308611, 2043880254, 1365210764>, shift = array<i32: -9, -6, -10, -10>,
       act_min = -128, act_max = 127}
}
tir.func @odd(%input0 : !tir.buffer<1x6x7x1xi8>, %output0 : !tir.buffer<1x3x4x4xi8>) {
  %w = tir.allocate_const dense<"0x2c4e864ff80421c97a8ec7e212e9a28c818da67fb12740bcc8efc479ae654c589ee521fe"> : !tir.buffer<4x3x3x1xi8>
  %b = tir.allocate_const dense<"0x7a060000e60600005d060000d8eeffff"> : !tir.buffer<4xi32>
  tir.conv2d ins(%input0, %w, %b : !tir.buffer<1x6x7x1xi8>, !tir.buffer<4x3x3x1xi8>, !tir.buffer<4xi32>)
      outs(%output0 : !tir.buffer<1x3x4x4xi8>)
      {stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>,
       pad = array<i64: 1, 1, 1, 1>, input_zp = 3, output_zp = -2,
       multiplier = array<i32: 2103566945, 1670308611, 2043880254, 1365210764>, shift = array<i32: -9, -6, -10, -10>,
       act_min = -128, act_max = 127}
}
tir.func @rgb(%input0 : !tir.buffer<1x6x8x3xi8>, %output0 : !tir.buffer<1x3x4x4xi8>) {
  %w = tir.allocate_const dense<"0x0bca657129c1862015eaa62f3c4d2f65e2798a14dfd61346c2a7ea552bad27b9c5d1b78e193257ccb4a77ac857b2215ff02c2169a691d9815d8672ff0f86bc52de9926a1793d8c4ca1b9fc9e47154af7c85c8351fa0813cd05d2f3d72266c6c770beaf389fa2bfc112450e7d"> : !tir.buffer<4x3x3x3xi8>
  %b = tir.allocate_const dense<"0x7a060000e60600005d060000d8eeffff"> : !tir.buffer<4xi32>
  tir.conv2d ins(%input0, %w, %b : !tir.buffer<1x6x8x3xi8>, !tir.buffer<4x3x3x3xi8>, !tir.buffer<4xi32>)
      outs(%output0 : !tir.buffer<1x3x4x4xi8>)
      {stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>,
       pad = array<i64: 1, 1, 1, 1>, input_zp = 3, output_zp = -2,
       multiplier = array<i32: 2103566945, 1670308611, 2043880254, 1365210764>, shift = array<i32: -11, -8, -12, -12>,
       act_min = -128, act_max = 127}
}
tir.func @inner(%input0 : !tir.buffer<1x6x8x3xi8>, %output0 : !tir.buffer<1x3x4x4xi8>) {
  %x = tir.allocate : !tir.buffer<1x6x8x3xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x6x8x3xi8>) outs(%x : !tir.buffer<1x6x8x3xi8>)
      {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127}
  %w = tir.allocate_const dense<"0x0bca657129c1862015eaa62f3c4d2f65e2798a14dfd61346c2a7ea552bad27b9c5d1b78e193257ccb4a77ac857b2215ff02c2169a691d9815d8672ff0f86bc52de9926a1793d8c4ca1b9fc9e47154af7c85c8351fa0813cd05d2f3d72266c6c770beaf389fa2bfc112450e7d"> : !tir.buffer<4x3x3x3xi8>
  %b = tir.allocate_const dense<"0x7a060000e60600005d060000d8eeffff"> : !tir.buffer<4xi32>
  tir.conv2d ins(%x, %w, %b : !tir.buffer<1x6x8x3xi8>, !tir.buffer<4x3x3x3xi8>, !tir.buffer<4xi32>)
      outs(%output0 : !tir.buffer<1x3x4x4xi8>)
      {stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>,
       pad = array<i64: 1, 1, 1, 1>, input_zp = 3, output_zp = -2,
       multiplier = array<i32: 2103566945, 1670308611, 2043880254, 1365210764>, shift = array<i32: -11, -8, -12, -12>,
       act_min = -128, act_max = 127}
}
}
