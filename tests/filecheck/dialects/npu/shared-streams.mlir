// Two weight streams on the same bytes (identical streams, or a staging
// buffer reused by several ops) whose encodings differ only in dilation:
// each conv reads the entry its kernel's dilation fits, so both verify.
// RUN: tirconst-opt %s | filecheck %s

// CHECK: npu.conv2d {{.*}}kernel = #npu.kernel<[1, 1]>,
// CHECK: npu.conv2d {{.*}}kernel = #npu.kernel<[1, 1], dilation = [2, 2]>,
npu.command_stream @main "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>, #npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8, dilation = [2, 2]>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 1024
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 64>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 2, 2, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 128>, kernel = #npu.kernel<[1, 1], dilation = [2, 2]>, block_config = array<i64: 2, 2, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
}
