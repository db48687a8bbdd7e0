// Two convolutions that read different output-channel ranges of one weight
// constant, through views: tir-slice-constants gives each its own constant.
//   tirconst-opt examples/two_convs.mlir -p tir-slice-constants
tir.constant @w = dense<"0xe8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e0f1011121314151617"> : tensor<8x1x2x3xi8>
tir.func @main(%x : !tir.buffer<1x3x3x3xi8>, %y0 : !tir.buffer<1x3x2x4xi8>, %y1 : !tir.buffer<1x3x2x4xi8>) {
  %w = tir.allocate_const @w : !tir.buffer<8x1x2x3xi8>
  %b = tir.allocate_const dense<[1, -2, 3, -4, 500, -600, 700, -800]>
      : !tir.buffer<8xi32>
  %w0 = tir.decl_buffer %w[0] : !tir.buffer<8x1x2x3xi8> -> !tir.buffer<4x1x2x3xi8>
  %w1 = tir.decl_buffer %w[24] : !tir.buffer<8x1x2x3xi8> -> !tir.buffer<4x1x2x3xi8>
  %b0 = tir.decl_buffer %b[0] : !tir.buffer<8xi32> -> !tir.buffer<4xi32>
  %b1 = tir.decl_buffer %b[4] : !tir.buffer<8xi32> -> !tir.buffer<4xi32>
  tir.conv2d ins(%x, %w0, %b0 : !tir.buffer<1x3x3x3xi8>, !tir.buffer<4x1x2x3xi8>, !tir.buffer<4xi32>) outs(%y0 : !tir.buffer<1x3x2x4xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64,
       input_scale = 1.0 : f32, filter_scales = array<f32: 0.5, 0.5, 0.5, 0.5>, output_scale = 1.0 : f32}
  tir.conv2d ins(%x, %w1, %b1 : !tir.buffer<1x3x3x3xi8>, !tir.buffer<4x1x2x3xi8>, !tir.buffer<4xi32>) outs(%y1 : !tir.buffer<1x3x2x4xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64,
       input_scale = 1.0 : f32, filter_scales = array<f32: 0.5, 0.5, 0.5, 0.5>, output_scale = 1.0 : f32}
}
