// Public face of @sketch-xnor/data. Filled by later issues; nothing is exported yet.
export {};
