tir.func @main() {
  %w = tir.allocate_const elided<1024 bytes> : !tir.buffer<256xf32>
}
