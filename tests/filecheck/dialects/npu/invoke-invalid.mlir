// An invoke of a symbol that is no command stream: one line naming the op.
// RUN: not tirconst-opt %s 2>&1 | filecheck %s --check-prefix=ERR
// ERR: invoke-invalid.mlir:[[# @LINE + 3]]:3: error: 'npu.invoke' op in @g: @nowhere is not an npu.command_stream of the module
tir.func @g(%input0 : !tir.buffer<16xi8>)
    attributes {param_placement = {input0 = #tir.place<@sram, 0>}} {
  npu.invoke @nowhere ins() outs(%input0 : !tir.buffer<16xi8>)
}
tir.pool @sram size 32 alignment 16
