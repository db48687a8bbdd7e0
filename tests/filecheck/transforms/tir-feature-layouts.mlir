// RUN: tirconst-opt %s -p 'tir-feature-layouts{by-cost=ethos-u55-128}' | filecheck %s
// RUN: tirconst-opt %s -p tir-feature-layouts | filecheck %s
// RUN: tirconst-opt %s -p 'tir-feature-layouts{enable=false}' | filecheck %s --check-prefix=OFF
// RUN: tirconst-opt %s -p 'tir-feature-layouts{by-cost=ethos-u55-128},tir-encode-weights,tir-plan-memory,convert-tir-to-npu' -o %t
// RUN: filecheck %s --check-prefix=NPU < %t
// RUN: tirconst-run --check-equivalent %s %t

// The conv's and the pool's outputs are intermediates only NPU ops read and
// write, whole: NHCWB16 (16 channels, one brick: no more bytes). The add's
// output is read through a reshape (a view) by the copy into the output:
// NHWC. Lowered, the feature maps between the three ops are NHCWB16 and the
// program computes the same output.

// CHECK-LABEL: tir.func @main
// CHECK:         %op0_conv_2d = tir.allocate {layout = "nhcwb16"} : !tir.buffer<1x12x12x16xi8>
// CHECK:         %op1_average_pool_2d = tir.allocate {layout = "nhcwb16"} : !tir.buffer<1x12x12x16xi8>
// CHECK:         %op2_add = tir.allocate : !tir.buffer<1x12x12x16xi8>

// OFF-NOT:       nhcwb16

// NPU:           npu.conv2d
// NPU-SAME:      ifm = #npu.feature_map<int8, [12, 12, 3], region = 1, address = {{[0-9]+}}, scale
// NPU-SAME:      ofm = #npu.feature_map<int8, [12, 12, 16], {{.*}} layout = nhcwb16
// NPU:           npu.pooling
// NPU-SAME:      layout = nhcwb16
// NPU:           npu.elementwise
// NPU-SAME:      ifm = #npu.feature_map<int8, [12, 12, 16], {{.*}} layout = nhcwb16
builtin.module {
  tir.constant @op0_conv_2d_filter = dense<"0x3f1802d6ddadb3a8c5381a4a0013542917070a4ed7381ea6ec4009ac2f293ec5b641a907b4dbfcf2eeaba6bca71e041ad4142febf8593656ea21511b3d2124ec43be0e273e04e9ddf2fd2746b34e05e61f0cd3df271000e22eece146d5ce2616aeb5e93bee33ded13443b4b01ee20dc140f7473524cf30af0cee59c950b6160e47db481e46c92e4faee718b801172f4ceff5fb51c9ffaef25015e4591250a8f83c2eeffff105cf33b3f0d82a2c264c4dc7babd29544c1e5442a8bb41b4563a52e6c00355e846eb3acffce0cf4636bf4c54d5f2071cf5c04d22ad3829c61400ab4c27dda8b62ec002474dd6b1ff3d16b21be3cef34353bf0b2fd4d7d1cb45cdcebcbc32d9360f40092f37b00af7d9f7f0fe393a16255218e8b409cf10aa3e50c039efad494fad103a34f0403bbaa7b8e7b9b4d41b04d75124184f33bcac41efb0fbeaf3f3defdfe552231a7dd57d601411844c30118e30d592adeb1c6d644d638d71e04520b4c532c174059d20bbfb81eae2639c420ed46490d0b250e2cc832042d04ddb60456ac0cf6a707312b56051053df35c7e71f0ec91c0d4b124553b5b300ff092bdec520eb4db12528d6b5dfed"> : tensor<16x3x3x3xi8> {tflite.tensor = "t1"}
  tir.constant @op0_conv_2d_bias = dense<[2876, 2241, -1614, -167, 599, 2475, -2190, 1595, 2551, 2491, -1338, -2236, 562, -2559, -2221, -2579]> : tensor<16xi32> {tflite.tensor = "t2"}
  tir.func @main(%input0: !tir.buffer<1x12x12x3xi8>, %output0: !tir.buffer<144x16xi8>) {
    %op0_conv_2d_filter = tir.allocate_const @op0_conv_2d_filter : !tir.buffer<16x3x3x3xi8>
    %op0_conv_2d_bias = tir.allocate_const @op0_conv_2d_bias : !tir.buffer<16xi32>
    %op0_conv_2d = tir.allocate : !tir.buffer<1x12x12x16xi8>
    tir.conv2d ins(%input0, %op0_conv_2d_filter, %op0_conv_2d_bias : !tir.buffer<1x12x12x3xi8>, !tir.buffer<16x3x3x3xi8>, !tir.buffer<16xi32>) outs(%op0_conv_2d : !tir.buffer<1x12x12x16xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, input_zp = 3 : i64, output_zp = -5 : i64, multiplier = array<i32: 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504, 1374389504>, shift = array<i32: -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6>, act_min = -128 : i64, act_max = 127 : i64, input_scale = 5.000000e-02 : f32, filter_scales = array<f32: 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02, 2.000000e-02>, output_scale = 1.000000e-01 : f32, tflite.index = 0 : i64, tflite.name = "t3"}
    %op1_average_pool_2d = tir.allocate : !tir.buffer<1x12x12x16xi8>
    tir.avg_pool2d ins(%op0_conv_2d : !tir.buffer<1x12x12x16xi8>) outs(%op1_average_pool_2d : !tir.buffer<1x12x12x16xi8>) {window = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, act_min = -128 : i64, act_max = 127 : i64, input_scale = 1.000000e-01 : f32, input_zp = -5 : i64, output_scale = 1.000000e-01 : f32, output_zp = -5 : i64, tflite.index = 1 : i64, tflite.name = "t4"}
    %op2_add = tir.allocate : !tir.buffer<1x12x12x16xi8>
    tir.add ins(%op1_average_pool_2d, %op0_conv_2d : !tir.buffer<1x12x12x16xi8>, !tir.buffer<1x12x12x16xi8>) outs(%op2_add : !tir.buffer<1x12x12x16xi8>) {lhs_zp = -5 : i64, rhs_zp = -5 : i64, output_zp = 2 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1431655730 : i64, output_shift = -19 : i64, act_min = -128 : i64, act_max = 127 : i64, lhs_scale = 1.000000e-01 : f32, rhs_scale = 1.000000e-01 : f32, output_scale = 1.500000e-01 : f32, tflite.index = 2 : i64, tflite.name = "t5"}
    %0 = tir.reshape %op2_add : !tir.buffer<1x12x12x16xi8> -> !tir.buffer<144x16xi8>
    tir.copy ins(%0 : !tir.buffer<144x16xi8>) outs(%output0 : !tir.buffer<144x16xi8>) {tflite.index = 3 : i64, tflite.name = "t7"}
  }
}