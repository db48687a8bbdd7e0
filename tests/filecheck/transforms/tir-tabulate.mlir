// tir-tabulate: every int8 pointwise op becomes tir.lookup of the table its
// own kernel gives on the 256 int8 values. Two ReLUs alike share one table;
// hard swish, abs and neg get theirs; tanh's table is recomputed from its
// kernel (the same bytes) and shared with the constant already there. What
// the NPU runs as it is (requantize), int16 data and a table known only at
// run time stay. Every rewrite is equivalent.
//
// RUN: tirconst-opt --split-input-file %s -p tir-tabulate | filecheck %s
// RUN: tirconst-opt --split-input-file %s -p tir-tabulate -o %t && tirconst-run --check-equivalent --split-input-file %s %t | filecheck %s --check-prefix=SAME

// SAME-COUNT-3: equivalent: @main

// CHECK:         tir.constant @abs_table = dense<
// CHECK-NEXT:    tir.constant @hard_swish_table = dense<
// CHECK-NEXT:    tir.constant @relu_table = dense<"0x8080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfc"> : tensor<256xi8>
// CHECK-NEXT:    tir.constant @t = dense<
// CHECK-NOT:     tir.constant
// CHECK-LABEL: tir.func @main
// CHECK:         %[[R:.*]] = tir.allocate_const @relu_table : !tir.buffer<256xi8>
// CHECK-NEXT:    tir.lookup ins(%input0, %[[R]] : !tir.buffer<2x8xi8>, !tir.buffer<256xi8>) outs(%a : !tir.buffer<2x8xi8>) {{.}}tflite.index = 0 : i64
// CHECK:         %[[R2:.*]] = tir.allocate_const @relu_table : !tir.buffer<256xi8>
// CHECK-NEXT:    tir.lookup ins(%a, %[[R2]] : {{.*}}) outs(%b : !tir.buffer<2x8xi8>)
// CHECK:         tir.allocate_const @hard_swish_table
// CHECK-NEXT:    tir.lookup ins(%b,
// CHECK:         tir.allocate_const @abs_table
// CHECK-NEXT:    tir.lookup ins(%c,
// CHECK:         tir.allocate_const @t
// CHECK-NEXT:    tir.lookup ins(%d,
// CHECK-NOT:     tir.tanh
// CHECK:         tir.requantize
tir.constant @t = dense<"0x8080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808081818181818181818282828282838384848585868788888A8B8C8E8F919396989B9FA2A6AAAFB4B9BFC5CBD2D9E1E8F0F8000810181F272E353B41474C51565A5E6165686A6D6F71727475767878797A7B7B7C7C7D7D7E7E7E7E7E7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F"> : tensor<256xi8>
tir.func @main(%input0 : !tir.buffer<2x8xi8>, %output0 : !tir.buffer<2x8xi8>) {
  %a = tir.allocate : !tir.buffer<2x8xi8>
  tir.relu ins(%input0 : !tir.buffer<2x8xi8>) outs(%a : !tir.buffer<2x8xi8>)
      {input_zp = 3, output_zp = -128, multiplier = 1073741824, shift = 1,
       act_min = -128, act_max = 127, input_scale = 0.1 : f32, output_scale = 0.1 : f32, tflite.index = 0}
  %b = tir.allocate : !tir.buffer<2x8xi8>
  tir.relu ins(%a : !tir.buffer<2x8xi8>) outs(%b : !tir.buffer<2x8xi8>)
      {input_zp = 3, output_zp = -128, multiplier = 1073741824, shift = 1,
       act_min = -128, act_max = 127, input_scale = 0.1 : f32, output_scale = 0.1 : f32}
  %c = tir.allocate : !tir.buffer<2x8xi8>
  tir.hard_swish ins(%b : !tir.buffer<2x8xi8>) outs(%c : !tir.buffer<2x8xi8>)
      {input_zp = 0, output_zp = 0, output_multiplier = 16384,
       output_shift = -6, reluish_multiplier = 21845, reluish_shift = -5}
  %d = tir.allocate : !tir.buffer<2x8xi8>
  tir.abs ins(%c : !tir.buffer<2x8xi8>) outs(%d : !tir.buffer<2x8xi8>)
      {input_zp = 3, output_zp = -128, multiplier = 1073741824, shift = 1}
  %e = tir.allocate : !tir.buffer<2x8xi8>
  %t = tir.allocate_const @t : !tir.buffer<256xi8>
  tir.tanh ins(%d, %t : !tir.buffer<2x8xi8>, !tir.buffer<256xi8>) outs(%e : !tir.buffer<2x8xi8>)
  tir.requantize ins(%e : !tir.buffer<2x8xi8>) outs(%output0 : !tir.buffer<2x8xi8>)
      {scale = 0.5 : f32, zero_point = -1, input_zp = 3,
       multiplier = 1073741824, shift = 1, input_scale = 0.5 : f32}
}

// -----

// int16 and float32 data and a table known only at run time stay; neg of
// int8 goes.
// CHECK-LABEL: tir.func @main
// CHECK:         tir.neg ins(%input0 : !tir.buffer<8xi16>)
// CHECK:         tir.neg ins(%input3 : !tir.buffer<8xf32>)
// CHECK:         tir.tanh ins(%input1, %input2
// CHECK:         tir.allocate_const @neg_table
// CHECK-NEXT:    tir.lookup ins(%input1,
tir.func @main(%input0 : !tir.buffer<8xi16>, %input1 : !tir.buffer<8xi8>, %input2 : !tir.buffer<256xi8>,
               %input3 : !tir.buffer<8xf32>,
               %output0 : !tir.buffer<8xi16>, %output1 : !tir.buffer<8xi8>, %output2 : !tir.buffer<8xi8>,
               %output3 : !tir.buffer<8xf32>) {
  tir.neg ins(%input0 : !tir.buffer<8xi16>) outs(%output0 : !tir.buffer<8xi16>)
  tir.neg ins(%input3 : !tir.buffer<8xf32>) outs(%output3 : !tir.buffer<8xf32>)
  tir.tanh ins(%input1, %input2 : !tir.buffer<8xi8>, !tir.buffer<256xi8>) outs(%output1 : !tir.buffer<8xi8>)
  tir.neg ins(%input1 : !tir.buffer<8xi8>) outs(%output2 : !tir.buffer<8xi8>)
}

// -----

// PRELU with a shared alpha (every element equal) is one function of each
// input element: its lookup (the NPU runs PRELU as it is, in five ops, the
// lookup in one); a per-channel alpha stays.
// CHECK-LABEL: tir.func @main
// CHECK:         %[[T:.*]] = tir.allocate_const @prelu_table : !tir.buffer<256xi8>
// CHECK-NEXT:    tir.lookup ins(%input0, %[[T]] : !tir.buffer<1x2x2x3xi8>, !tir.buffer<256xi8>) outs(%output0 : !tir.buffer<1x2x2x3xi8>)
// CHECK:         tir.prelu ins(%input0, %b :
tir.func @main(%input0 : !tir.buffer<1x2x2x3xi8>, %output0 : !tir.buffer<1x2x2x3xi8>,
               %output1 : !tir.buffer<1x2x2x3xi8>) {
  %a = tir.allocate_const dense<[-40, -40, -40]> : !tir.buffer<3xi8>
  %b = tir.allocate_const dense<[-40, 12, 90]> : !tir.buffer<3xi8>
  tir.prelu ins(%input0, %a : !tir.buffer<1x2x2x3xi8>, !tir.buffer<3xi8>) outs(%output0 : !tir.buffer<1x2x2x3xi8>)
      {input_zp = 3, alpha_zp = -5, output_zp = -2,
       identity_multiplier = 1200000000, identity_shift = 1,
       alpha_multiplier = 1500000000, alpha_shift = -6}
  tir.prelu ins(%input0, %b : !tir.buffer<1x2x2x3xi8>, !tir.buffer<3xi8>) outs(%output1 : !tir.buffer<1x2x2x3xi8>)
      {input_zp = 3, alpha_zp = -5, output_zp = -2,
       identity_multiplier = 1200000000, identity_shift = 1,
       alpha_multiplier = 1500000000, alpha_shift = -6}
}
