// The verifier rules for Ethos-U encoded weights (#tir.encoded_weights on
// conv2d / depthwise_conv2d / fully_connected; never on the tir.constant).
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s | filecheck %s
// CHECK-NOT: Traceback

// A valid one, for reference: verifies and prints.
// CHECK: tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>)
builtin.module {
  tir.func @ok(%x : !tir.buffer<2x32xi8>, %w : !tir.buffer<224xui8>, %y : !tir.buffer<2x4xi8>) {
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8, zero_point = 3>)>}
  }
}

// -----

// CHECK: error: 'tir.fully_connected' op{{.*}}an op with encoded weights takes no bias (it is in the records)
builtin.module {
  tir.func @bias(%x : !tir.buffer<2x32xi8>, %w : !tir.buffer<224xui8>, %b : !tir.buffer<4xi32>, %y : !tir.buffer<2x4xi8>) {
    tir.fully_connected ins(%x, %w, %b : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>, !tir.buffer<4xi32>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8, zero_point = 3>)>}
  }
}

// -----

// CHECK: error: 'tir.fully_connected' op{{.*}}encoded filter must be uint8, got int8
builtin.module {
  tir.func @dtype(%x : !tir.buffer<2x32xi8>, %w : !tir.buffer<224xi8>, %y : !tir.buffer<2x4xi8>) {
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xi8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8, zero_point = 3>)>}
  }
}

// -----

// CHECK: error: 'tir.fully_connected' op{{.*}}encoded weights span 224 bytes, the filter has 208
builtin.module {
  tir.func @short(%x : !tir.buffer<2x32xi8>, %w : !tir.buffer<208xui8>, %y : !tir.buffer<2x4xi8>) {
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<208xui8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8, zero_point = 3>)>}
  }
}

// -----

// CHECK: error: 'tir.fully_connected' op{{.*}}weights encoded with zero point 0, the op has 3
builtin.module {
  tir.func @zp(%x : !tir.buffer<2x32xi8>, %w : !tir.buffer<224xui8>, %y : !tir.buffer<2x4xi8>) {
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8>)>}
  }
}

// -----

// CHECK: error: 'tir.fully_connected' op{{.*}}output must hold 2 rows of 4, got shape [2, 8]
builtin.module {
  tir.func @channels(%x : !tir.buffer<2x32xi8>, %w : !tir.buffer<224xui8>, %y : !tir.buffer<2x8xi8>) {
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<2x8xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8, zero_point = 3>)>}
  }
}

// -----

// CHECK: error: 'tir.conv2d' op{{.*}}weights encoded for dilation [1, 1], the op has [2, 2]
builtin.module {
  tir.func @dilation(%x : !tir.buffer<1x1x1x32xi8>, %w : !tir.buffer<224xui8>, %y : !tir.buffer<1x1x1x4xi8>) {
    tir.conv2d ins(%x, %w : !tir.buffer<1x1x1x32xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<1x1x1x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8>)>}
  }
}

// -----

// CHECK: error: 'tir.conv2d' op{{.*}}weights encoded for 32 input channels, input has 16
builtin.module {
  tir.func @ci(%x : !tir.buffer<1x1x1x16xi8>, %w : !tir.buffer<224xui8>, %y : !tir.buffer<1x1x1x4xi8>) {
    tir.conv2d ins(%x, %w : !tir.buffer<1x1x1x16xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<1x1x1x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8>)>}
  }
}

// -----

// CHECK: error: {{.*}}#tir.encoded_weights: sections must be 16-aligned and in order
builtin.module {
  tir.func @f(%x : !tir.buffer<2x32xi8>, %w : !tir.buffer<224xui8>, %y : !tir.buffer<2x4xi8>) {
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [40, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8>)>}
  }
}

// -----

// CHECK: error: {{.*}}#tir.encoded_weights: the bias records of 4 channels need 40 bytes beside the weights (before or after them)
builtin.module {
  tir.func @f(%x : !tir.buffer<2x32xi8>, %w : !tir.buffer<224xui8>, %y : !tir.buffer<2x4xi8>) {
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 30], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8>)>}
  }
}

// -----

// CHECK: error: {{.*}}#tir.encoded_weights: the encoding must be #npu.weight_encoding, got 3 : i64
builtin.module {
  tir.func @f(%x : !tir.buffer<2x32xi8>, %w : !tir.buffer<224xui8>, %y : !tir.buffer<2x4xi8>) {
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], 3 : i64)>}
  }
}

// -----

// CHECK: error: 'tir.constant' op{{.*}}encoded_weights belongs on the op reading the constant, not on the constant
builtin.module {
  tir.constant @w = dense<[0, 0]> : tensor<2xui8> {encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8>)>}
}

// -----

// The bytes are a constant: the op's multiplier and shift are checked against
// the bias/scale records in them (what the NPU and the interpreter use).
// CHECK: tir.constant @fc_enc
// CHECK: tir.fully_connected {{.*}}multiplier = array<i32: 1300000000>, shift = array<i32: -8>
builtin.module {
  tir.constant @fc_enc = dense<"0xebffffffff006d7c4d276300000000006d7c4d27c7ffffffff006d7c4d271900000000006d7c4d270000000000000000c80354f1ab803e813b988b15f2f4d9ea32591cce5eabcca4b1e84b99481dce6562b000f07ea2c6c3529626f284001059edf02324100ac08f01b89f0d892d69fe7f4e96c5daa40480ff37b35e75cced0f001a0030908f8128f42229f8323e60feff4d721525ffe8f87f7d3a87e12ff80f009030001059384763f14e6539f9299a23ff6f6ada201b16fe7f60ce1460fc3f00bc010700f23e64548eaf840a0000a07bd02f161b8c33004001800784ffffff"> : tensor<224xui8>
  tir.func @records(%x : !tir.buffer<2x32xi8>, %y : !tir.buffer<2x4xi8>) {
    %w = tir.allocate_const @fc_enc : !tir.buffer<224xui8>
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8, zero_point = 3>)>}
  }
}

// -----

// CHECK: error: 'tir.fully_connected' op{{.*}}multiplier of output channel 0 is 1300000001: the record scale 1300000001, the encoded bias record holds 1300000000
builtin.module {
  tir.constant @fc_enc = dense<"0xebffffffff006d7c4d276300000000006d7c4d27c7ffffffff006d7c4d271900000000006d7c4d270000000000000000c80354f1ab803e813b988b15f2f4d9ea32591cce5eabcca4b1e84b99481dce6562b000f07ea2c6c3529626f284001059edf02324100ac08f01b89f0d892d69fe7f4e96c5daa40480ff37b35e75cced0f001a0030908f8128f42229f8323e60feff4d721525ffe8f87f7d3a87e12ff80f009030001059384763f14e6539f9299a23ff6f6ada201b16fe7f60ce1460fc3f00bc010700f23e64548eaf840a0000a07bd02f161b8c33004001800784ffffff"> : tensor<224xui8>
  tir.func @multiplier(%x : !tir.buffer<2x32xi8>, %y : !tir.buffer<2x4xi8>) {
    %w = tir.allocate_const @fc_enc : !tir.buffer<224xui8>
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000001>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8, zero_point = 3>)>}
  }
}

// -----

// CHECK: error: 'tir.fully_connected' op{{.*}}shift of output channel 0 is -7: the record shift 38, the encoded bias record holds 39
builtin.module {
  tir.constant @fc_enc = dense<"0xebffffffff006d7c4d276300000000006d7c4d27c7ffffffff006d7c4d271900000000006d7c4d270000000000000000c80354f1ab803e813b988b15f2f4d9ea32591cce5eabcca4b1e84b99481dce6562b000f07ea2c6c3529626f284001059edf02324100ac08f01b89f0d892d69fe7f4e96c5daa40480ff37b35e75cced0f001a0030908f8128f42229f8323e60feff4d721525ffe8f87f7d3a87e12ff80f009030001059384763f14e6539f9299a23ff6f6ada201b16fe7f60ce1460fc3f00bc010700f23e64548eaf840a0000a07bd02f161b8c33004001800784ffffff"> : tensor<224xui8>
  tir.func @shift(%x : !tir.buffer<2x32xi8>, %y : !tir.buffer<2x4xi8>) {
    %w = tir.allocate_const @fc_enc : !tir.buffer<224xui8>
    tir.fully_connected ins(%x, %w : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>) outs(%y : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -7>, act_min = -128 : i64, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], #npu.weight_encoding<"ethos-u55-128", [4, 1, 1, 32], block_depth = 8, zero_point = 3>)>}
  }
}
