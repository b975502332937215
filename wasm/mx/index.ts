// Entry of the mx module: the shared arena, dtype and Philox exports plus the MX kernels
// (contract: docs/internals.md, "MX").
export { alloc, reset } from "../core/memory";
export { f16_to_f32, f32_to_f16, bf16_to_f32, f32_to_bf16 } from "../core/dtype";
export { philox4x32_fill } from "../core/philox";
export { mx_amax } from "./amax";
export { mx_quantize } from "./quantize";
export { mx_dequantize } from "./dequantize";
export { mx_matvec } from "./matvec";
export { mx_encode_elements, mx_decode_elements } from "./elements";
