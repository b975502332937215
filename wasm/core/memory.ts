// The per-call arena every module exports. The JS side reserves all buffers of a call with `alloc`,
// makes its typed views only afterwards (growing memory detaches them), runs one kernel and then
// calls `reset`. Kernels themselves never allocate, so a bump allocator is all that is needed; it
// is the `--runtime stub` allocator, whose blocks are 16-byte aligned (AL_MASK) so that v128
// loads and stores in the kernels are aligned.

/** Bump-allocates `bytes` (16-byte aligned). May grow memory, which detaches existing JS views. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Frees everything `alloc` returned since the last reset. Memory itself never shrinks. */
export function reset(): void {
  // @ts-ignore: heap.reset is the stub runtime's; the std declarations do not list it
  heap.reset();
}
