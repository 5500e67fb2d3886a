// Public face of @sketch-xnor/trainer. Filled by later issues; nothing is exported yet.
export {};
