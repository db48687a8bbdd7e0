"""The Ethos-U backend: npu ops as `ethosu.vela.api` objects (`vela_ops`), for
Vela's register command-stream generator and driver payload."""
