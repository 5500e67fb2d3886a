// Public face of @sketch-xnor/binary-ops. Filled by later issues; nothing is exported yet.
export {};
