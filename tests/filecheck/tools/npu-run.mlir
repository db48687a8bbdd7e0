// tirconst-run on an npu command stream: it runs like a tir program, and
// --check-equivalent compares a tir conv with its npu form (weights encoded by
// Vela's API, part-kernel-first, block depth 16) bit for bit, by the tir
// function's parameter names. A changed zero point is caught; a corrupted
// weight stream is a one-line error.
// RUN: tirconst-run --check-equivalent %S/Inputs/npu_conv_tir.mlir %s --trials 4 | filecheck %s --check-prefix=EQ
// RUN: tirconst-run --check-equivalent %s %S/Inputs/npu_conv_tir.mlir | filecheck %s --check-prefix=EQ
// RUN: sed -e 's/region = 3, zero_point = 3>/region = 3, zero_point = 4>/' %s > %t.zp.mlir
// RUN: not tirconst-run --check-equivalent %S/Inputs/npu_conv_tir.mlir %t.zp.mlir 2>&1 | filecheck %s --check-prefix=DIFF
// RUN: tirconst-run %s --random-inputs 5 | filecheck %s --check-prefix=OUT
// RUN: tirconst-run %s --random-inputs 5 --outputs %t.npz && python -c "import numpy as np, sys; d = np.load(sys.argv[1]); print(sorted(d.files), d['output0'].shape)" %t.npz | filecheck %s --check-prefix=NPZ
// RUN: sed -e 's/dense<"0x..../dense<"0x0000/' %s > %t.bad.mlir
// RUN: not tirconst-run %t.bad.mlir --random-inputs 1 2>&1 | filecheck %s --check-prefix=BAD

// EQ: equivalent: @main ({{[0-9]+}} trials, {{[0-9]+}} buffers compared bit for bit)
// DIFF: error: not equivalent: @main: output0[0, {{.*}}] is {{.*}} before and {{.*}} after
// OUT: @main:
// OUT-NEXT: %input0 = [[[[
// OUT-NEXT: %output0 = [[[[
// NPZ: ['input0', 'output0'] (1, 4, 3, 12)
// BAD: npu-run.mlir{{.*}}:{{[0-9]+}}:{{[0-9]+}}: error: 'npu.conv2d' op in @main: weight stream {{.*}}
// BAD-NOT: Traceback

builtin.module {
  npu.command_stream @main "ethos-u55-128" {
    npu.region 0 constant size 848 streams [#npu.weight_stream<0, 720, #npu.weight_encoding<"ethos-u55-128", [12, 3, 3, 5], traversal = part_kernel_first>>] = dense<"0x200b5c018c0e0e9edb6bc9a2417a400f0e493e627c51c630ba0e8e8c172f1f78ea3a060edf42ba514431ce310e4e46ca7376846d27030e6aef07b3d82c6e850ece521fd6bacf9fa2098e0c9d5a7a6b16d5500e1ed9da8fb06da7e90e0e5c3f69bd964031d80e6eb14d8149accbde0b0ed113a260b4cf62f50e7e94260d06ec08520d0e8936458705b586110e0e0e9a2b601a0e56bb800e2e2ecfc3f8c015770f0ee301ed9daede724e0e3eb0869d10abe1b30f0eeb44c3aee54d98360eee6688b0b237a61b040eb3041bd3f0c863230e9ead321fa62d2bfe080e815da5b5521d091a0ede47b49ac5a2692a080e52f29fcd3a5952fa0e1e477b3b384b6b750d0e5d61d18aa50b7b2f0e2e3f04c9859c2a18000e48b74bcf75d7924b0e0e0e7fcd187eef054d901efe473571e9a1acff080ef1f3aafbde0051dc0efe21b1be7d64b4bb080e5dce35fdb7eb37670efe4a6289e948000e0a0eaa1836eda5971d110e5ed28b84a7d8c5cf070ebeab14fcb5b5c7d00e2e323c1d40d20641030e67444aca62f4f4b90e5e19d624f710e56c0f0e9bd6dfb5e9c7db0e0e0e0e2fec81be4780d3d00eeea1a56e25d33e48f9ff80cb654348ffffffffffffffffffffffffffffffffffffffffffff0f0003001c005d04167010242ac06f5327ff620721041fa16513a6d8bd80ff7fdf6fe99ccd57305f8441d89325bd255c2bdb138410fe5fad1b3a0441fc142bc40f8289e999e97caebc01c100fe0ccf866c1f3ed86721fccf0b361fc7b0e366464088dde15cd81706bc89081e93ff77d71aca7ffd32072104c1daf71ec19aedd4691084c05acddc3a49c21b1dc2ff874b69c07a469a297f503ef8b66611a80020048510c27ff620278a748612e67f04049c4cfcc28f9c0341841082f71b0f7c44cd601cfeff4866608563005f374210e0bf4268e720e281054108ff6f53ab4bc63ea71a14c207013ff3054ba68c5742500800b8ef52e73e2ee956108ec30000e7ffffe7ff61ffff31f9ffffff6f281645269ff3ffffff1a5abc5c27a001000000235c286d27ddf7ffffff939ded7d28edefffffff8d8a627d279e080000001d3aa14a29caf3ffffff572ee54f2929f9ffffff76a42d5f27ecf8ffffff335e6d50277b07000000c1c3384a28bb08000000c84d2b4e271500000000854bff7b290000000000000000"> : tensor<848xui8>
    npu.region 3 input size 224
    npu.region 4 output size 144
    npu.tensor "input0" input region 3 offset 0 : tensor<1x7x6x5xi8> zero_point 3
    npu.tensor "output0" output region 4 offset 0 : tensor<1x4x3x12xi8> zero_point -2
    npu.conv2d {ifm = #npu.feature_map<int8, [7, 6, 5], region = 3, zero_point = 3>, ofm = #npu.feature_map<int8, [4, 3, 12], region = 4, zero_point = -2>, kernel = #npu.kernel<[3, 3], stride = [2, 2]>, padding = #npu.padding<[1, 1, 1, 1]>, block_config = array<i64: 4, 4, 16>, weights = [#npu.range<0, 0, 720>], biases = [#npu.range<0, 720, 128>], block_traversal = "part_kernel_first"}
  }
}
