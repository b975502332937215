// Public API of @kompakt/gpu; filled in by the runtime and kernel modules.
export {};
