tir.constant @weights = dense<[1, 2, 3, 4]> : tensor<4xi8>
tir.func @main() {
  %w = tir.allocate_const @wieghts : !tir.buffer<4xi8>
}
