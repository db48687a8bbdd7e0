tir.func @main() {
  %a = tir.allocate_const dense<[0x1FFFF]> : !tir.buffer<1xf16>
}
