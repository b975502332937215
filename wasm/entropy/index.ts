// Entry of the entropy module: the shared arena and checksum, the rANS coder, model quantizers and
// the tensor codec's byte helpers (docs/internals.md, "Entropy").
export { alloc, reset } from "../core/memory";
export { xxh32 } from "../core/xxhash32";
export { rans_encode } from "./encode";
export { rans_decode, rans_decode_scratch_bytes } from "./decode";
export { model_quantize_counts } from "./quantize";
export { model_quantize_parametric } from "./parametric";
export { tensor_split, tensor_merge, xor_bytes, hist_u8 } from "./planes";
export { rans_encode_parametric, rans_decode_parametric, parametric_scratch_bytes } from "./parametric-batch";
