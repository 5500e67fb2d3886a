// Public face of @sketch-xnor/cli. Filled by later issues; nothing is exported yet.
export {};
