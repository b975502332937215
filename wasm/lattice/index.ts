// Entry of the lattice module: the shared arena plus the lattice kernels (docs/internals.md, "Lattice").
export { alloc, reset } from "../core/memory";
export { nearest_zn, nearest_dn, nearest_dnplus } from "./dn";
export { nearest_e8 } from "./e8";
export { e8p_encode, e8p_decode } from "./e8p";
export { e81b_encode, e81b_decode } from "./e81b";
export { nearest_leech } from "./leech";
export { leech_sq_encode, leech_sq_decode } from "./leech_sq";
