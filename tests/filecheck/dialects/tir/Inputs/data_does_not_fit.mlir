tir.func @main() {
  %w = tir.allocate_const dense<"0x0102030405"> : !tir.buffer<2xi16>
}
