// Entry of the hadamard module: the shared arena, dtype and random-sign exports plus the FWHT kernel.
export { alloc, reset } from "../core/memory";
export { f16_to_f32, f32_to_f16, bf16_to_f32, f32_to_bf16 } from "../core/dtype";
export { philox4x32_fill, rademacher_fill } from "../core/philox";
export { fwht_rows } from "./fwht";
