// Entry of the minhash module: the shared arena, the token hashes and the MinHash kernels
// (docs/internals.md, "MinHash").
export { alloc, reset } from "../core/memory";
export { xxh32 } from "../core/xxhash32";
export { sha1_32 } from "../core/sha1";
export { hash_items } from "./hash";
export { minhash_update } from "./permute";
export { minhash_update32 } from "./permute32";
export { oph_update, oph_densify } from "./oph";
export { sketch_texts } from "./batch";
