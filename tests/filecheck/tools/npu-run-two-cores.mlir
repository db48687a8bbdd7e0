// npu-run.mlir's convolution on an ethos-u65-512: two cores, each with its own
// weight stream and bias/scale records (core k computes output channels k,
// k + 2, ..., as Vela deals them; each stream encoded with half the block
// depth). It verifies, runs, and equals the tir conv bit for bit; the cores'
// ranges swapped compute other channels; one range for two cores is refused.
// RUN: tirconst-run --check-equivalent %S/Inputs/npu_conv_tir.mlir %s --trials 4 | filecheck %s --check-prefix=EQ
// RUN: tirconst-opt %s | filecheck %s --check-prefix=RT
// RUN: sed -e 's/weights = \[#npu.range<0, 0, 352>, #npu.range<0, 416, 352>\], biases = \[#npu.range<0, 352, 64>, #npu.range<0, 768, 64>\]/weights = [#npu.range<0, 416, 352>, #npu.range<0, 0, 352>], biases = [#npu.range<0, 768, 64>, #npu.range<0, 352, 64>]/' %s > %t.swap.mlir
// RUN: not tirconst-run --check-equivalent %S/Inputs/npu_conv_tir.mlir %t.swap.mlir 2>&1 | filecheck %s --check-prefix=DIFF
// RUN: sed -e 's/, #npu.range<0, 416, 352>\]/]/' -e 's/, #npu.range<0, 768, 64>\]/]/' %s > %t.one.mlir
// RUN: not tirconst-run %t.one.mlir --random-inputs 1 2>&1 | filecheck %s --check-prefix=ONE

// EQ: equivalent: @main ({{[0-9]+}} trials, {{[0-9]+}} buffers compared bit for bit)
// RT: weights = [#npu.range<0, 0, 352>, #npu.range<0, 416, 352>], biases = [#npu.range<0, 352, 64>, #npu.range<0, 768, 64>]
// DIFF: error: not equivalent: @main: output0[0, {{.*}}] is {{.*}} before and {{.*}} after
// ONE: npu-run-two-cores.mlir{{.*}}:{{[0-9]+}}:{{[0-9]+}}: error: 'npu.conv2d' op in @main: 1 weight ranges, expected 2 (one per core that computes output channels)
// ONE-NOT: Traceback

builtin.module {
  npu.command_stream @main "ethos-u65-512" {
    npu.region 0 constant size 832 streams [#npu.weight_stream<0, 352, #npu.weight_encoding<"ethos-u65-512", [6, 3, 3, 5], block_depth = 8, traversal = part_kernel_first>>, #npu.weight_stream<416, 352, #npu.weight_encoding<"ethos-u65-512", [6, 3, 3, 5], block_depth = 8, traversal = part_kernel_first>>] = dense<"0x50085c018c0e0e9edb6bc9e223c617050ec6f281a7ae6331ce0e1e4346aa1b15e0b7f9ffb46cc214bb326aef0f7e305b1fd6bacfaf070e0ebe66510db56da7e90e0e5c399baf60be6b65febf57ad1b836db14df10fd113a260b4d260c00e0e0e0eee0852506b18a1190bfe60627a66cf866c1fffefb30b282ecf331e000eed9daed809b11a3e0e0e0ee54d98366e1cc38e0ebe99f1c28037e1aefbff41b3041bd92af3610f0e0e0eae5d5a2bd591c0a2090ea68252e6206bdf7bfecf5acddc3a29a51ff70fb4b75d61d18aa5900e0e0e5cc8a98275d7924b0e0efe7f1ab09e916645a0ff2f0098dd04f94735011ef1f3aafb12ebdb470e0e0e46fdb7eb37674a980e1e1070e2371ef888faff04e0a0aa181125bd0f0e0e0e8e84b74ac15f5b1b000e246d1034c00ac700feef9b83880766434fff0fb99561f69bd6dfb50e0e0eec81be47805632ed0e3e48a91a04fccc870b00ef52e703009cff7f9fff81fdff31f9ffffff6f28164526a001000000235c286d27edefffffff8d8a627d27caf3ffffff572ee54f29ecf8ffffff335e6d5027bb08000000c84d2b4e270000000050085c010c0e1aa407f44930bac80e8e17ff2da41b45c4030e6747d8763af9173b0efeff2317f0bedfd2d82c0fee56c892a2c9d0a9058e0e1ed9da8ff093d66b090e407bb2a4b784a143fe0f41fc8449accbdefb0fcf62f54769d589360e0e0e0e5e74b802a6e160a503fe9f2b6f0cd8672fd8ffcfc7f8c01577ef2d070e4e036bfbeb44c3ae0e0e2e86082b7b63bbc3b90efeffb05a43f9af5fd3f00f8e3c36222bfe18d8050e0eaed147b49a25ffd90c0e3a59046bb653a724fecf1b1d2e35384b6bf50fd70b7b2ff24301480e0e0e0e7ebbf4dc8ce1f75e00fecaf9e0db9a839c28ff2f9d71e9a1acffe80d0e0051dc1fbb8b5dce0e0e0e35af2496988e13bf0e0e3f729ec1381cc9fcff36eda5971d8a5dfc0f0e0e0ecee77b0c2d323c7d060e444aca626ef8af10feaf5dab4bc63ed724f70f0f51cee9c7db0e2f0e0e0ed3d01e5aea80cb650e3e84142c99325ee90200e956e303009cffff9fff81fdff9ff3ffffff1a5abc5c27ddf7ffffff939ded7d289e080000001d3aa14a2929f9ffffff76a42d5f277b07000000c1c3384a281500000000854bff7b2900000000"> : tensor<832xui8>
    npu.region 3 input size 224
    npu.region 4 output size 144
    npu.tensor "input0" input region 3 offset 0 : tensor<1x7x6x5xi8> zero_point 3
    npu.tensor "output0" output region 4 offset 0 : tensor<1x4x3x12xi8> zero_point -2
    npu.conv2d {ifm = #npu.feature_map<int8, [7, 6, 5], region = 3, zero_point = 3>, ofm = #npu.feature_map<int8, [4, 3, 12], region = 4, zero_point = -2>, kernel = #npu.kernel<[3, 3], stride = [2, 2]>, padding = #npu.padding<[1, 1, 1, 1]>, block_config = array<i64: 4, 4, 16>, weights = [#npu.range<0, 0, 352>, #npu.range<0, 416, 352>], biases = [#npu.range<0, 352, 64>, #npu.range<0, 768, 64>], block_traversal = "part_kernel_first"}
  }
}
