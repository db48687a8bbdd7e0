// Every verifier rule of the npu dialect, one case each, above all what Vela's
// generator silently accepts (ETHOS-U facts): the one-line diagnostic names
// the source line, the op and its command stream.
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s | filecheck %s
// RUN: tirconst-opt --split-input-file --verify-diagnostics %s 2>&1 \
// RUN:   | filecheck %s --check-prefix=CLEAN

// CLEAN-NOT: Traceback
// CLEAN-NOT: internal error

// the OFM shape follows from IFM, kernel, stride and padding
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 64
// CHECK: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: OFM is 2x1 but IFM 2x2, kernel, stride and padding give 2x2
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 1, 2], region = 1, address = 32>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
}

// -----

// stride at most 3
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 1 scratch size 100000
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.pooling' op in @s: stride [4, 1] exceeds the hardware limit of 3
  npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [8, 4, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 4], region = 1, address = 50000>, kernel = #npu.kernel<[2, 2], stride = [4, 1]>, block_config = array<i64: 2, 2, 8>}
}

// -----

// dilation at most 2
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 64
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: dilation [3, 1] exceeds the hardware limit of 2
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 32>, kernel = #npu.kernel<[1, 1], dilation = [3, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
}

// -----

// dilated kernel height at most 64
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 600
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: dilated kernel 65x1 exceeds the hardware limits (height 64, area 4096)
  npu.conv2d {ifm = #npu.feature_map<int8, [66, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 560>, kernel = #npu.kernel<[33, 1], dilation = [2, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
}

// -----

// padding smaller than the kernel
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 1 scratch size 100000
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.pooling' op in @s: padding [2, 0, 0, 0] is not smaller than the kernel 2x2
  npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 4, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 4], region = 1, address = 50000>, kernel = #npu.kernel<[2, 2], stride = [2, 2]>, block_config = array<i64: 2, 2, 8>, padding = #npu.padding<[2, 0, 0, 0]>}
}

// -----

// an upscale mode the IFM_UPSCALE register has
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 1 scratch size 100000
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.pooling' op in @s: upscale must be one of nearest, transpose, got 'bilinear'
  npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [2, 2, 8], region = 1>, ofm = #npu.feature_map<int8, [4, 4, 8], region = 1, address = 50000>, kernel = #npu.kernel<[1, 1]>, upscale = "bilinear", block_config = array<i64: 2, 2, 8>}
}

// -----

// the window slides over the doubled IFM
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 1 scratch size 100000
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.pooling' op in @s: OFM is 2x2 but upscaled IFM 4x4, kernel, stride and padding give 4x4
  npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [2, 2, 8], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 8], region = 1, address = 50000>, kernel = #npu.kernel<[1, 1]>, upscale = "nearest", block_config = array<i64: 2, 2, 8>}
}

// -----

// activation min <= max
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 1 scratch size 100000
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.pooling' op in @s: activation min 1.0 is greater than max -1.0
  npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 4, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 4], region = 1, address = 50000>, kernel = #npu.kernel<[2, 2], stride = [2, 2]>, block_config = array<i64: 2, 2, 8>, activation = #npu.activation<clamp, min = 1.0, max = -1.0>}
}

// -----

// scale/bias base 16-aligned
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 64
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: scale/bias base 40 is not 16-byte aligned
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 32>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 40, 20>]}
}

// -----

// scale/bias length a multiple of 16
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 64
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: scale/bias length 20 is not a multiple of 16
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 32>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 20>]}
}

// -----

// IFM depth matches the weights
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 128
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: IFM depth 8 does not match the weights' input depth 4
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 8], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 64>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
}

// -----

// block depth = the encoded block depth (unless one block covers every output
// channel either way: then the stream is the same)
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 256 streams [#npu.weight_stream<0, 96, #npu.weight_encoding<"ethos-u55-128", [16, 1, 1, 4], block_depth = 8>>] = dense<"0xd0006451729793e7e18399e73dbd198ec30b8e1bc0c31b8ff8ffffffffffffffffffffffffffffffffffffffffffffff7f8001005200000c6400529ef334739e0f2ff338f2f0381e4f00f88007004800f0ffef1f80ffffffffffffffffffffff00000000009a79825a2601000000009a79825a2602000000009a79825a2603000000009a79825a2604000000009a79825a2605000000009a79825a2606000000009a79825a2607000000009a79825a2608000000009a79825a2609000000009a79825a260a000000009a79825a260b000000009a79825a260c000000009a79825a260d000000009a79825a260e000000009a79825a260f000000009a79825a26"> : tensor<256xui8>
  npu.region 1 scratch size 96
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: block depth 16 but the weights were encoded with block depth 8
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 32>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 1, 1, 16>, weights = [#npu.range<0, 0, 96>], biases = [#npu.range<0, 96, 160>]}
}

// -----

// block traversal = the encoded traversal
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 64
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: block traversal part_kernel_first but the weights were encoded depth_first
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 32>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>], block_traversal = "part_kernel_first"}
}

// -----

// the weight range points at a weight stream
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 64
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: weight range #npu.range<0, 16, 16> does not point at a weight stream of region 0
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 32>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 16, 16>], biases = [#npu.range<0, 32, 32>]}
}

// -----

// DMA addresses 16-aligned
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 1 scratch size 64
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.dma' op in @s: DMA source address 8 and length 16 must be multiples of 16
  npu.dma {src = #npu.range<1, 8, 16>, dest = #npu.range<1, 32, 16>}
}

// -----

// a DMA inside its region
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 1 scratch size 64
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.dma' op in @s: DMA destination (bytes 64..80) lies outside region 1 of 64 bytes
  npu.dma {src = #npu.range<1, 0, 16>, dest = #npu.range<1, 64, 16>}
}

// -----

// a feature map inside its region
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 36
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: OFM (bytes 32..40) lies outside region 1 of 36 bytes
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 32>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 1, 1, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
}

// -----

// a feature map's region is declared
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 2 scratch size 100000
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.pooling' op in @s: IFM is in region 1, which is not declared
  npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 4, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 4], region = 1, address = 50000>, kernel = #npu.kernel<[2, 2], stride = [2, 2]>, block_config = array<i64: 2, 2, 8>}
}

// -----

// a tensor inside its region
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 3 input size 16
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.tensor' op in @s: tensor 'input0' (bytes 8..24) lies outside region 3 of 16 bytes
  npu.tensor "input0" input region 3 offset 8 : tensor<1x1x1x16xi8>
}

// -----

// a known accelerator
// CHECK-NEXT: {{^}}// {{-{5}$}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:1: error: 'npu.command_stream' op: unknown accelerator 'ethos-u99' (known: ethos-u55-32, ethos-u55-64, ethos-u55-128, ethos-u55-256, ethos-u65-256, ethos-u65-512)
npu.command_stream @s "ethos-u99" {
}

// -----

// average pooling unpadded
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 1 scratch size 100000
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.pooling' op in @s: padded average pooling is not bit-exact with TFLite; pad first
  npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [3, 3, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 4], region = 1, address = 50000>, kernel = #npu.kernel<[2, 2], stride = [2, 2]>, block_config = array<i64: 2, 2, 8>, padding = #npu.padding<[0, 0, 1, 1]>}
}

// -----

// elementwise add needs an IFM2
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u55-128" {
  npu.region 1 scratch size 64
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.elementwise' op in @s: add takes an IFM2
  npu.elementwise {op_type = "add", ifm = #npu.feature_map<int8, [1, 1, 16], region = 1, scale = 0.5>, ofm = #npu.feature_map<int8, [1, 1, 16], region = 1, address = 32, scale = 1.0>, block_config = array<i64: 1, 1, 16>}
}

// -----

// two cores (ethos-u65-512): one weight range per core that computes output
// channels
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u65-512" {
  npu.region 0 constant size 64 = dense<"0x00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 128
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: 1 weight ranges, expected 2 (one per core that computes output channels)
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 64>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 2, 2, 16>, weights = [#npu.range<0, 0, 16>], biases = [#npu.range<0, 32, 16>]}
}

// -----

// one bias range per weight range
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u65-512" {
  npu.region 0 constant size 64 = dense<"0x00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"> : tensor<64xui8>
  npu.region 1 scratch size 128
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: 2 weight ranges but 1 bias ranges (one of each per core)
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 64>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 2, 2, 16>, weights = [#npu.range<0, 0, 16>, #npu.range<0, 16, 16>], biases = [#npu.range<0, 32, 16>]}
}

// -----

// each core's stream holds its output channels (core k: k, k + 2, ...)
// CHECK-NEXT: {{^}}// {{-{5}$}}
npu.command_stream @s "ethos-u65-512" {
  npu.region 0 constant size 96 streams [#npu.weight_stream<0, 16, #npu.weight_encoding<"ethos-u65-512", [2, 1, 1, 4], block_depth = 8>>, #npu.weight_stream<16, 16, #npu.weight_encoding<"ethos-u65-512", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"> : tensor<96xui8>
  npu.region 1 scratch size 128
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 1]]:3: error: 'npu.conv2d' op in @s: output channels 1 does not match the weights' output depth 2 (core 1)
  npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 3], region = 1, address = 64>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 2, 2, 16>, weights = [#npu.range<0, 0, 16>, #npu.range<0, 16, 16>], biases = [#npu.range<0, 32, 32>, #npu.range<0, 64, 32>], block_traversal = "depth_first"}
}
