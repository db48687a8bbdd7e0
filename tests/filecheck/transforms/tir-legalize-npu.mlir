// tir-legalize-npu: a pad of height and width by the conv's input zero point
// folds into the conv's padding; a pad of another value stays; a spatial mean
// becomes a depthwise sum; a one-channel depthwise with a depth multiplier becomes a conv2d.
// A table lookup's output is allocated before the op whose result only it
// reads. Every rewrite is equivalent.
//
// RUN: tirconst-opt --split-input-file %s -p tir-legalize-npu | filecheck %s
// RUN: tirconst-opt --split-input-file %s -p tir-legalize-npu -o %t && tirconst-run --check-equivalent --split-input-file %s %t | filecheck %s --check-prefix=SAME

// SAME-COUNT-5: equivalent: @main

// CHECK-LABEL: tir.func @main
// CHECK-NOT:     tir.pad
// CHECK-NOT:     tir.allocate :
// CHECK:         tir.conv2d ins(%input0, %w, %b
// CHECK-SAME:      pad = array<i64: 2, 1, 1, 2>
tir.constant @w = dense<"0x2865382B6E2B944E75194C85A5B5554E402D86F8BFE06C03F684D721FCC7AAC96D90427A8AE74E8D0F82A6C705F6A4E244A3B912B23311E84EB50DA135A7178B340AC28025E2FB8C103898A601814A7FD5B664B0FF298127ED779040CE5C88BC3D35C0C88839D8EF3F0AE3C3B0C4E479C3A8FFADA1B34E6559D5B54CF8069F588EFF209D5021F4E4D31746202D41B6FE"> : tensor<4x3x3x4xi8>
tir.constant @b = dense<"0xE303000024040000D1030000B4F5FFFF"> : tensor<4xi32>
tir.func @main(%input0 : !tir.buffer<1x5x5x4xi8>, %output0 : !tir.buffer<1x6x6x4xi8>) {
  %p = tir.allocate : !tir.buffer<1x6x6x4xi8>
  tir.pad ins(%input0 : !tir.buffer<1x5x5x4xi8>) outs(%p : !tir.buffer<1x6x6x4xi8>)
      {padding = array<i64: 0, 0, 1, 0, 0, 1, 0, 0>, pad_value = -7}
  %w = tir.allocate_const @w : !tir.buffer<4x3x3x4xi8>
  %b = tir.allocate_const @b : !tir.buffer<4xi32>
  tir.conv2d ins(%p, %w, %b : !tir.buffer<1x6x6x4xi8>, !tir.buffer<4x3x3x4xi8>, !tir.buffer<4xi32>)
      outs(%output0 : !tir.buffer<1x6x6x4xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
       input_zp = -7, output_zp = 3, multiplier = array<i32: 1500000000, 1300000000, 1200000000, 1100000000>,
       shift = array<i32: -9, -9, -9, -9>, act_min = -128, act_max = 127}
}

// -----

// The pad value is not the input zero point: the pad stays.
// CHECK-LABEL: tir.func @main
// CHECK:         tir.pad
// CHECK:         tir.conv2d ins(%p,
// CHECK-SAME:      pad = array<i64: 1, 1, 1, 1>
tir.constant @w = dense<"0x2865382B6E2B944E75194C85A5B5554E402D86F8BFE06C03F684D721FCC7AAC96D90427A8AE74E8D0F82A6C705F6A4E244A3B912B23311E84EB50DA135A7178B340AC28025E2FB8C103898A601814A7FD5B664B0FF298127ED779040CE5C88BC3D35C0C88839D8EF3F0AE3C3B0C4E479C3A8FFADA1B34E6559D5B54CF8069F588EFF209D5021F4E4D31746202D41B6FE"> : tensor<4x3x3x4xi8>
tir.func @main(%input0 : !tir.buffer<1x5x5x4xi8>, %output0 : !tir.buffer<1x6x6x4xi8>) {
  %p = tir.allocate : !tir.buffer<1x6x6x4xi8>
  tir.pad ins(%input0 : !tir.buffer<1x5x5x4xi8>) outs(%p : !tir.buffer<1x6x6x4xi8>)
      {padding = array<i64: 0, 0, 1, 0, 0, 1, 0, 0>, pad_value = 0}
  %w = tir.allocate_const @w : !tir.buffer<4x3x3x4xi8>
  tir.conv2d ins(%p, %w : !tir.buffer<1x6x6x4xi8>, !tir.buffer<4x3x3x4xi8>)
      outs(%output0 : !tir.buffer<1x6x6x4xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
       input_zp = -7, output_zp = 3, multiplier = array<i32: 1500000000, 1300000000, 1200000000, 1100000000>,
       shift = array<i32: -9, -9, -9, -9>, act_min = -128, act_max = 127}
}

// -----

// CHECK-LABEL: tir.constant @dw_ohwi = {{.*}} : tensor<4x3x3x1xi8>
// CHECK-LABEL: tir.func @main
// CHECK-NOT:     tir.depthwise_conv2d
// CHECK:         %{{.*}} = tir.allocate_const @dw_ohwi : !tir.buffer<4x3x3x1xi8>
// CHECK:         tir.conv2d
// CHECK-NOT:       depth_multiplier
tir.constant @dw = dense<"0x0A0907758F0CBB0E7C0CCC67B35AFDC517F50CDC3D51B061C75958AFFCDBF090ADD838DF"> : tensor<1x3x3x4xi8>
tir.func @main(%input0 : !tir.buffer<1x4x4x1xi8>, %output0 : !tir.buffer<1x2x2x4xi8>) {
  %w = tir.allocate_const @dw : !tir.buffer<1x3x3x4xi8>
  tir.depthwise_conv2d ins(%input0, %w : !tir.buffer<1x4x4x1xi8>, !tir.buffer<1x3x3x4xi8>)
      outs(%output0 : !tir.buffer<1x2x2x4xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       input_zp = 2, output_zp = -1, multiplier = array<i32: 1500000000, 1300000000, 1200000000, 1100000000>,
       shift = array<i32: -7, -7, -7, -7>, act_min = -128, act_max = 127, depth_multiplier = 4}
}

// -----

// A spatial mean is the NPU's depthwise sum: an all-ones filter, the mean's
// readapted multiplier (1/count folded in: count 4, shift 2 -> shift 0).
// CHECK-LABEL: tir.constant @mean_ones = dense<{{.*}}> : tensor<1x2x2x3xi8>
// CHECK-LABEL: tir.func @main
// CHECK-NOT:     tir.mean
// CHECK:         %[[V:.*]] = tir.reshape %output0 {{.*}} -> !tir.buffer<1x1x1x3xi8>
// CHECK:         tir.depthwise_conv2d ins(%input0, %{{.*}} : !tir.buffer<1x2x2x3xi8>, !tir.buffer<1x2x2x3xi8>) outs(%[[V]] : !tir.buffer<1x1x1x3xi8>)
// CHECK-SAME:      input_zp = -128 : i64, output_zp = -128 : i64, multiplier = array<i32: 1299877167, 1299877167, 1299877167>, shift = array<i32: 0, 0, 0>
tir.func @main(%input0 : !tir.buffer<1x2x2x3xi8>, %output0 : !tir.buffer<1x3xi8>) {
  tir.mean ins(%input0 : !tir.buffer<1x2x2x3xi8>) outs(%output0 : !tir.buffer<1x3xi8>)
      {axes = array<i64: 1, 2>, input_zp = -128, output_zp = -128,
       multiplier = 1299877167, shift = 2, input_scale = 0.022939343 : f32,
       output_scale = 0.00947433058 : f32}
}

// -----

// A lookup whose input only the pool before it writes and reads: its output
// is allocated before the pool (the plan keeps it apart from the pool's
// input, so the table can be the pool's activation). A lookup whose input
// is read twice keeps its allocation where it is.
// CHECK-LABEL: tir.func @main
// CHECK-NEXT:    %t = tir.allocate_const @t
// CHECK-NEXT:    %p = tir.allocate
// CHECK-NEXT:    %q = tir.allocate
// CHECK-NEXT:    tir.max_pool2d
// CHECK-NEXT:    tir.lookup ins(%p, %t
// CHECK-NEXT:    %r = tir.allocate
// CHECK-NEXT:    tir.lookup ins(%q, %t
// CHECK-NEXT:    tir.lookup ins(%q, %t
tir.constant @t = dense<"0x000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9FA0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBFC0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF"> : tensor<256xi8>
tir.func @main(%input0 : !tir.buffer<1x4x4x8xi8>, %output0 : !tir.buffer<1x2x2x8xi8>, %output1 : !tir.buffer<1x2x2x8xi8>) {
  %t = tir.allocate_const @t : !tir.buffer<256xi8>
  %p = tir.allocate : !tir.buffer<1x2x2x8xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x4x4x8xi8>) outs(%p : !tir.buffer<1x2x2x8xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127}
  %q = tir.allocate : !tir.buffer<1x2x2x8xi8>
  tir.lookup ins(%p, %t : !tir.buffer<1x2x2x8xi8>, !tir.buffer<256xi8>) outs(%q : !tir.buffer<1x2x2x8xi8>)
  %r = tir.allocate : !tir.buffer<1x2x2x8xi8>
  tir.lookup ins(%q, %t : !tir.buffer<1x2x2x8xi8>, !tir.buffer<256xi8>) outs(%output0 : !tir.buffer<1x2x2x8xi8>)
  tir.lookup ins(%q, %t : !tir.buffer<1x2x2x8xi8>, !tir.buffer<256xi8>) outs(%output1 : !tir.buffer<1x2x2x8xi8>)
}
