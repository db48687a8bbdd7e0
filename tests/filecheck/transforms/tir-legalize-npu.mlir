// tir-legalize-npu: a pad of height and width by the conv's input zero point
// folds into the conv's padding (the conv records the pad's model operator); a pad of another value stays; a spatial mean
// becomes a depthwise sum, and so does a mean over the channels or over H
// alone (over reshaped views); a mean over axes that are not adjacent stays;
// a reduce_max becomes a max pool, a reduce_min a max pool of complements
// (tir-reduce-min-npu.mlir) and one over axes not adjacent stays; a stride-2 transpose
// convolution becomes four phase convolutions into strided views; a 2x
// bilinear resize becomes four average pools, a half-pixel one depthwise
// convolutions, an align_corners one stays; a depthwise with a depth
// multiplier becomes a conv2d (over several input channels, each output
// channel's weights on its own input channel, zeros elsewhere); a dilation
// over 2 becomes 2 (or 1 where odd) over the filter spread out with zeros;
// a pad of (N, W, C) read through a reshape adding a unit axis (Keras'
// causal Conv1D) folds into the conv too; a stride over 3 runs as a stride
// up to 3 and a 1x1 max pool keeping every 2nd or 3rd output; a 5-D tile
// is a 4-D one over views with its untiled axes merged.
// A table lookup's output is allocated before the op whose result only it
// reads. Every rewrite is equivalent.
//
// RUN: tirconst-opt --split-input-file %s -p tir-legalize-npu | filecheck %s
// RUN: tirconst-opt --split-input-file %s -p tir-legalize-npu -o %t && tirconst-run --check-equivalent --split-input-file %s %t | filecheck %s --check-prefix=SAME

// SAME-COUNT-19: equivalent: @main

// CHECK-LABEL: tir.func @main
// CHECK-NOT:     tir.pad
// CHECK-NOT:     tir.allocate :
// CHECK:         tir.conv2d ins(%input0, %w, %b
// CHECK-SAME:      pad = array<i64: 2, 1, 1, 2>
// CHECK-SAME:      tflite.index = 1 : i64, tflite.fused = array<i64: 0>
tir.constant @w = dense<"0x2865382B6E2B944E75194C85A5B5554E402D86F8BFE06C03F684D721FCC7AAC96D90427A8AE74E8D0F82A6C705F6A4E244A3B912B23311E84EB50DA135A7178B340AC28025E2FB8C103898A601814A7FD5B664B0FF298127ED779040CE5C88BC3D35C0C88839D8EF3F0AE3C3B0C4E479C3A8FFADA1B34E6559D5B54CF8069F588EFF209D5021F4E4D31746202D41B6FE"> : tensor<4x3x3x4xi8>
tir.constant @b = dense<"0xE303000024040000D1030000B4F5FFFF"> : tensor<4xi32>
tir.func @main(%input0 : !tir.buffer<1x5x5x4xi8>, %output0 : !tir.buffer<1x6x6x4xi8>) {
  %p = tir.allocate : !tir.buffer<1x6x6x4xi8>
  tir.pad ins(%input0 : !tir.buffer<1x5x5x4xi8>) outs(%p : !tir.buffer<1x6x6x4xi8>)
      {padding = array<i64: 0, 0, 1, 0, 0, 1, 0, 0>, pad_value = -7, tflite.index = 0 : i64}
  %w = tir.allocate_const @w : !tir.buffer<4x3x3x4xi8>
  %b = tir.allocate_const @b : !tir.buffer<4xi32>
  tir.conv2d ins(%p, %w, %b : !tir.buffer<1x6x6x4xi8>, !tir.buffer<4x3x3x4xi8>, !tir.buffer<4xi32>)
      outs(%output0 : !tir.buffer<1x6x6x4xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
       input_zp = -7, output_zp = 3, multiplier = array<i32: 1500000000, 1300000000, 1200000000, 1100000000>,
       shift = array<i32: -9, -9, -9, -9>, act_min = -128, act_max = 127, tflite.index = 1 : i64}
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

// CHECK-NOT:   tir.constant @dw =
// CHECK-LABEL: tir.constant @dw_ohwi = {{.*}} : tensor<4x3x3x1xi8>
// CHECK-NOT:   tir.constant @dw =
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

// Two input channels, depth multiplier 2: output channels 0, 1 read input
// channel 0, 2, 3 input channel 1 (the filter's OHWI zeros elsewhere).
// CHECK-LABEL: tir.constant @dw2_ohwi = dense<"0x0a008f007c00b30017003d00c700fc00ad0009000c000c005a00f50051005900db00d800000700bb00cc00fd000c00b0005800f000380075000e006700c500dc006100af009000df"> : tensor<4x3x3x2xi8>
// CHECK-LABEL: tir.func @main
// CHECK:         tir.conv2d ins(%input0, %{{.*}} : !tir.buffer<1x4x4x2xi8>, !tir.buffer<4x3x3x2xi8>)
// CHECK-NOT:       depth_multiplier
tir.constant @dw2 = dense<"0x0A0907758F0CBB0E7C0CCC67B35AFDC517F50CDC3D51B061C75958AFFCDBF090ADD838DF"> : tensor<1x3x3x4xi8>
tir.func @main(%input0 : !tir.buffer<1x4x4x2xi8>, %output0 : !tir.buffer<1x2x2x4xi8>) {
  %w = tir.allocate_const @dw2 : !tir.buffer<1x3x3x4xi8>
  tir.depthwise_conv2d ins(%input0, %w : !tir.buffer<1x4x4x2xi8>, !tir.buffer<1x3x3x4xi8>)
      outs(%output0 : !tir.buffer<1x2x2x4xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       input_zp = 2, output_zp = -1, multiplier = array<i32: 1500000000, 1300000000, 1200000000, 1100000000>,
       shift = array<i32: -7, -7, -7, -7>, act_min = -128, act_max = 127, depth_multiplier = 2}
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

// A mean over the channels: rows are H·W, the channels a 1×C window, one
// output channel (count 5: shift 2 -> 0, the multiplier times 4/5).
// CHECK-LABEL: tir.constant @mean_ones = dense<[1, 1, 1, 1, 1]> : tensor<1x1x5x1xi8>
// CHECK-LABEL: tir.func @main
// CHECK:         %[[I:.*]] = tir.reshape %input0 : !tir.buffer<1x3x4x5xi8> -> !tir.buffer<1x12x5x1xi8>
// CHECK:         %[[O:.*]] = tir.reshape %output0 : !tir.buffer<1x3x4xi8> -> !tir.buffer<1x12x1x1xi8>
// CHECK:         tir.depthwise_conv2d ins(%[[I]], %{{.*}} : {{.*}}) outs(%[[O]] : !tir.buffer<1x12x1x1xi8>)
// CHECK-SAME:      multiplier = array<i32: 1039901733>, shift = array<i32: 0>
tir.func @main(%input0 : !tir.buffer<1x3x4x5xi8>, %output0 : !tir.buffer<1x3x4xi8>) {
  tir.mean ins(%input0 : !tir.buffer<1x3x4x5xi8>) outs(%output0 : !tir.buffer<1x3x4xi8>)
      {axes = array<i64: -1>, input_zp = -5, output_zp = 7,
       multiplier = 1299877167, shift = 2, input_scale = 0.022939343 : f32,
       output_scale = 0.00947433058 : f32}
}

// -----

// A mean over H alone of a batch of 2: the batch is rows, H a 1×3 window
// over columns, W·C the channels; keep_dims.
// CHECK-LABEL: tir.func @main
// CHECK:         tir.reshape %input0 : !tir.buffer<2x3x4x5xi8> -> !tir.buffer<1x2x3x20xi8>
// CHECK:         tir.reshape %output0 : !tir.buffer<2x1x4x5xi8> -> !tir.buffer<1x2x1x20xi8>
// CHECK:         tir.depthwise_conv2d
tir.func @main(%input0 : !tir.buffer<2x3x4x5xi8>, %output0 : !tir.buffer<2x1x4x5xi8>) {
  tir.mean ins(%input0 : !tir.buffer<2x3x4x5xi8>) outs(%output0 : !tir.buffer<2x1x4x5xi8>)
      {axes = array<i64: 1>, input_zp = 3, output_zp = 3,
       multiplier = 1073741824, shift = 1, input_scale = 0.5 : f32,
       output_scale = 0.5 : f32}
}

// -----

// Axes 1 and 3 of NHWC are not adjacent: the mean stays.
// CHECK-LABEL: tir.func @main
// CHECK-NOT:     tir.depthwise_conv2d
// CHECK:         tir.mean
tir.func @main(%input0 : !tir.buffer<1x3x4x5xi8>, %output0 : !tir.buffer<1x4xi8>) {
  tir.mean ins(%input0 : !tir.buffer<1x3x4x5xi8>) outs(%output0 : !tir.buffer<1x4xi8>)
      {axes = array<i64: 1, 3>, input_zp = 3, output_zp = 3,
       multiplier = 1073741824, shift = 1, input_scale = 0.5 : f32,
       output_scale = 0.5 : f32}
}

// -----

// REDUCE_MAX over H and W: one max pool of the whole 3×4 window.
// CHECK-LABEL: tir.func @main
// CHECK-NOT:     tir.reduce_max
// CHECK:         %[[O:.*]] = tir.reshape %output0 : !tir.buffer<1x5xi8> -> !tir.buffer<1x1x1x5xi8>
// CHECK:         tir.max_pool2d ins(%input0 : !tir.buffer<1x3x4x5xi8>) outs(%[[O]] : !tir.buffer<1x1x1x5xi8>)
// CHECK-SAME:      window = array<i64: 3, 4>, stride = array<i64: 1, 1>
tir.func @main(%input0 : !tir.buffer<1x3x4x5xi8>, %output0 : !tir.buffer<1x5xi8>) {
  tir.reduce_max ins(%input0 : !tir.buffer<1x3x4x5xi8>) outs(%output0 : !tir.buffer<1x5xi8>)
      {axes = array<i64: 1, 2>}
}

// -----

// REDUCE_MIN over axes that are not adjacent fits no pool window: it stays.
// CHECK-LABEL: tir.func @main
// CHECK:         tir.reduce_min
tir.func @main(%input0 : !tir.buffer<1x3x4x5xi8>, %output0 : !tir.buffer<1x4xi8>) {
  tir.reduce_min ins(%input0 : !tir.buffer<1x3x4x5xi8>) outs(%output0 : !tir.buffer<1x4xi8>)
      {axes = array<i64: 1, 3>}
}

// -----

// A 3x3 stride-2 transpose convolution: four stride-1 convolutions, one
// per output phase, with the phase's taps reversed (2x2, 2x1, 1x2, 1x1),
// each writing every second row and column of the output through a view.
// CHECK-DAG:   tir.constant @w_phase = dense<[9, 7, 3, 1, 90, 70, 30, 10]> : tensor<2x2x2x1xi8>
// CHECK-DAG:   tir.constant @w_phase1 = dense<[8, 2, 80, 20]> : tensor<2x2x1x1xi8>
// CHECK-DAG:   tir.constant @w_phase2 = dense<[6, 4, 60, 40]> : tensor<2x1x2x1xi8>
// CHECK-DAG:   tir.constant @w_phase3 = dense<[5, 50]> : tensor<2x1x1x1xi8>
// CHECK-NOT:   tir.constant @w =
// CHECK-LABEL: tir.func @main
// CHECK-NOT:     tir.transpose_conv2d
// CHECK:         %[[Y0:.*]] = tir.decl_buffer %output0[0] strides [32, 16, 4, 1] {{.*}} -> !tir.buffer<1x2x2x2xi8>
// CHECK:         tir.conv2d ins(%input0, %{{.*}} : !tir.buffer<1x2x2x1xi8>, !tir.buffer<2x2x2x1xi8>) outs(%[[Y0]] : !tir.buffer<1x2x2x2xi8>)
// CHECK-SAME:      pad = array<i64: 1, 1, 0, 0>
// CHECK:         %[[Y1:.*]] = tir.decl_buffer %output0[2] strides [32, 16, 4, 1]
// CHECK:         tir.conv2d ins(%input0, %{{.*}} : {{.*}}, !tir.buffer<2x2x1x1xi8>) outs(%[[Y1]] : !tir.buffer<1x2x2x2xi8>)
// CHECK-SAME:      pad = array<i64: 1, 0, 0, 0>
// CHECK:         tir.decl_buffer %output0[8] strides [32, 16, 4, 1]
// CHECK:         tir.conv2d
// CHECK-SAME:      pad = array<i64: 0, 1, 0, 0>
// CHECK:         tir.decl_buffer %output0[10] strides [32, 16, 4, 1]
// CHECK:         tir.conv2d
// CHECK-SAME:      pad = array<i64: 0, 0, 0, 0>
tir.constant @w = dense<[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90]> : tensor<2x3x3x1xi8>
tir.func @main(%input0 : !tir.buffer<1x2x2x1xi8>, %output0 : !tir.buffer<1x4x4x2xi8>) {
  %w = tir.allocate_const @w : !tir.buffer<2x3x3x1xi8>
  tir.transpose_conv2d ins(%input0, %w : !tir.buffer<1x2x2x1xi8>, !tir.buffer<2x3x3x1xi8>)
      outs(%output0 : !tir.buffer<1x4x4x2xi8>)
      {stride = array<i64: 2, 2>, pad = array<i64: 0, 0>, input_zp = 3,
       output_zp = -2, multiplier = array<i32: 1073741824, 1200000000>,
       shift = array<i32: -6, -7>, act_min = -128, act_max = 127}
}

// -----

// A 2x bilinear resize: per output phase an average pool of 1, 2 or 4
// inputs, padded by one at the far end (the last output clamps), writing
// every second row and column.
// CHECK-LABEL: tir.func @main
// CHECK-NOT:     tir.resize_bilinear
// CHECK:         %[[A:.*]] = tir.decl_buffer %output0[0] strides [72, 36, 6, 1] {{.*}} -> !tir.buffer<1x2x3x3xi8>
// CHECK:         tir.avg_pool2d ins(%input0 : !tir.buffer<1x2x3x3xi8>) outs(%[[A]] : !tir.buffer<1x2x3x3xi8>)
// CHECK-SAME:      window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>
// CHECK:         tir.decl_buffer %output0[3] strides [72, 36, 6, 1]
// CHECK:         tir.avg_pool2d
// CHECK-SAME:      window = array<i64: 1, 2>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 1>
// CHECK:         tir.decl_buffer %output0[18] strides [72, 36, 6, 1]
// CHECK:         tir.avg_pool2d
// CHECK-SAME:      window = array<i64: 2, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 0>
// CHECK:         tir.decl_buffer %output0[21] strides [72, 36, 6, 1]
// CHECK:         tir.avg_pool2d
// CHECK-SAME:      window = array<i64: 2, 2>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 1>
tir.func @main(%input0 : !tir.buffer<1x2x3x3xi8>, %output0 : !tir.buffer<1x4x6x3xi8>) {
  tir.resize_bilinear ins(%input0 : !tir.buffer<1x2x3x3xi8>) outs(%output0 : !tir.buffer<1x4x6x3xi8>)
      {align_corners = 0, half_pixel_centers = 0}
}

// -----

// With half pixel centers the outputs sit a quarter between inputs: per
// axis the ends copy (weight 4) and the rest weigh 1:3 or 3:1, so 4x4 runs,
// each a depthwise convolution of 16ths (one constant per distinct weighting).
// CHECK-DAG:   tir.constant @bilinear_weights{{[0-9]*}} = dense<[16, 16, 16]> : tensor<1x1x1x3xi8>
// CHECK-DAG:   tir.constant @bilinear_weights{{[0-9]*}} = dense<[1, 1, 1, 3, 3, 3, 3, 3, 3, 9, 9, 9]> : tensor<1x2x2x3xi8>
// CHECK-LABEL: tir.func @main
// CHECK-NOT:     tir.resize_bilinear
// CHECK:         tir.depthwise_conv2d
// CHECK-SAME:      input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 134217729, 134217729, 134217729>, shift = array<i32: 0, 0, 0>
tir.func @main(%input0 : !tir.buffer<1x2x3x3xi8>, %output0 : !tir.buffer<1x4x6x3xi8>) {
  tir.resize_bilinear ins(%input0 : !tir.buffer<1x2x3x3xi8>) outs(%output0 : !tir.buffer<1x4x6x3xi8>)
      {align_corners = 0, half_pixel_centers = 1}
}

// -----

// With align_corners a 2x2 -> 4x4 resize puts outputs at thirds: it stays.
// CHECK-LABEL: tir.func @main
// CHECK:         tir.resize_bilinear
tir.func @main(%input0 : !tir.buffer<1x2x2x3xi8>, %output0 : !tir.buffer<1x4x4x3xi8>) {
  tir.resize_bilinear ins(%input0 : !tir.buffer<1x2x2x3xi8>) outs(%output0 : !tir.buffer<1x4x4x3xi8>)
      {align_corners = 1, half_pixel_centers = 0}
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

// -----

// Dilation [4, 3] (the NPU's limit is 2): the 1x2x2x1 filter spread to
// 1x3x4x1 (taps every 2nd row, every 3rd column, zeros between), read with
// dilation [2, 1]: the same 5x4 dilated extent.
// CHECK-LABEL: tir.constant @w_spread = dense<[3, 0, 0, -4, 0, 0, 0, 0, 5, 0, 0, 7]> : tensor<1x3x4x1xi8>
// CHECK-LABEL: tir.func @main
// CHECK:         tir.conv2d ins(%input0, %{{.*}} : !tir.buffer<1x10x6x1xi8>, !tir.buffer<1x3x4x1xi8>) outs(%output0 : !tir.buffer<1x6x3x1xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 2, 1>
tir.constant @w = dense<[[[[3], [-4]], [[5], [7]]]]> : tensor<1x2x2x1xi8>
tir.func @main(%input0 : !tir.buffer<1x10x6x1xi8>, %output0 : !tir.buffer<1x6x3x1xi8>) {
  %w = tir.allocate_const @w : !tir.buffer<1x2x2x1xi8>
  tir.conv2d ins(%input0, %w : !tir.buffer<1x10x6x1xi8>, !tir.buffer<1x2x2x1xi8>)
      outs(%output0 : !tir.buffer<1x6x3x1xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 4, 3>, pad = array<i64: 0, 0, 0, 0>,
       input_zp = 2, output_zp = -1, multiplier = array<i32: 1500000000>,
       shift = array<i32: -3>, act_min = -128, act_max = 127}
}

// -----

// Causal Conv1D: (1, 6, 2) padded by 2 at the start of W by the input zero
// point, reshaped to (1, 1, 8, 2), convolved 1x3: the conv reads (1, 1, 6, 2)
// with padding 2 on the left.
// CHECK-LABEL: tir.func @main
// CHECK-NOT:     tir.pad
// CHECK:         %[[V:.*]] = tir.reshape %input0 : !tir.buffer<1x6x2xi8> -> !tir.buffer<1x1x6x2xi8>
// CHECK-NEXT:    tir.conv2d ins(%[[V]], %{{.*}} : !tir.buffer<1x1x6x2xi8>, !tir.buffer<2x1x3x2xi8>) outs(%output0 : !tir.buffer<1x1x6x2xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 2, 0, 0>
tir.func @main(%input0 : !tir.buffer<1x6x2xi8>, %output0 : !tir.buffer<1x1x6x2xi8>) {
  %p = tir.allocate : !tir.buffer<1x8x2xi8>
  tir.pad ins(%input0 : !tir.buffer<1x6x2xi8>) outs(%p : !tir.buffer<1x8x2xi8>)
      {padding = array<i64: 0, 0, 2, 0, 0, 0>, pad_value = 3}
  %v = tir.reshape %p : !tir.buffer<1x8x2xi8> -> !tir.buffer<1x1x8x2xi8>
  %w = tir.allocate_const dense<[1, -2, 3, 4, -5, 6, 7, 8, -9, 10, 11, -12]> : !tir.buffer<2x1x3x2xi8>
  tir.conv2d ins(%v, %w : !tir.buffer<1x1x8x2xi8>, !tir.buffer<2x1x3x2xi8>)
      outs(%output0 : !tir.buffer<1x1x6x2xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       input_zp = 3, output_zp = -1, multiplier = array<i32: 1500000000, 1400000000>,
       shift = array<i32: -4, -4>, act_min = -128, act_max = 127}
}

// -----

// Stride [4, 4], a 2x2 patch conv on 9x8: the conv at stride 2 into a 4x4
// buffer (rows 0, 2, 4, 6 of the windows; the last kept one needs no
// padding), then a 1x1 max pool of stride 2 keeps rows and columns 0, 2:
// the 2x2 output.
// CHECK-LABEL: tir.func @main
// CHECK:         %[[E:.*]] = tir.allocate : !tir.buffer<1x4x4x2xi8>
// CHECK-NEXT:    tir.conv2d ins(%input0, %{{.*}} : !tir.buffer<1x9x8x2xi8>, !tir.buffer<2x2x2x2xi8>) outs(%[[E]] : !tir.buffer<1x4x4x2xi8>) {{.}}stride = array<i64: 2, 2>
// CHECK-NEXT:    tir.max_pool2d ins(%[[E]] : !tir.buffer<1x4x4x2xi8>) outs(%output0 : !tir.buffer<1x2x2x2xi8>) {{.}}window = array<i64: 1, 1>, stride = array<i64: 2, 2>
tir.func @main(%input0 : !tir.buffer<1x9x8x2xi8>, %output0 : !tir.buffer<1x2x2x2xi8>) {
  %w = tir.allocate_const dense<[-11,-4,3,10,-6,1,8,-8,-1,6,-10,-3,4,11,-5,2]> : !tir.buffer<2x2x2x2xi8>
  tir.conv2d ins(%input0, %w : !tir.buffer<1x9x8x2xi8>, !tir.buffer<2x2x2x2xi8>)
      outs(%output0 : !tir.buffer<1x2x2x2xi8>)
      {stride = array<i64: 4, 4>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       input_zp = 1, output_zp = 2, multiplier = array<i32: 1500000000, 1400000000>,
       shift = array<i32: -5, -5>, act_min = -128, act_max = 127}
}

// -----

// Keras' nearest UpSampling2D repeats each row along a unit axis of a 5-D
// view: tile (1, 1, 2, 1, 1) of (1, 3, 1, 2, 2) is a 4-D tile of views
// with the untiled axes merged into the one before, (1, 1, 3, 4) by
// (1, 1, 1, 2): each row's 4 bytes twice, a concatenation of two copies.
// CHECK-LABEL: tir.func @main
// CHECK:         %[[I:.*]] = tir.reshape %input0 : !tir.buffer<1x3x1x2x2xi8> -> !tir.buffer<1x1x3x4xi8>
// CHECK:         %[[O:.*]] = tir.reshape %output0 : !tir.buffer<1x3x2x2x2xi8> -> !tir.buffer<1x1x3x8xi8>
// CHECK:         tir.concatenation ins(%[[I]], %[[I]] : !tir.buffer<1x1x3x4xi8>, !tir.buffer<1x1x3x4xi8>) outs(%[[O]] : !tir.buffer<1x1x3x8xi8>) {axis = 3
// CHECK-NOT:     tir.tile
tir.func @main(%input0 : !tir.buffer<1x3x1x2x2xi8>, %output0 : !tir.buffer<1x3x2x2x2xi8>) {
  tir.tile ins(%input0 : !tir.buffer<1x3x1x2x2xi8>) outs(%output0 : !tir.buffer<1x3x2x2x2xi8>)
      {multiples = array<i64: 1, 1, 2, 1, 1>}
}
