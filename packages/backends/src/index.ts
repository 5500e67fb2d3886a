// Public face of @sketch-xnor/backends. Filled by later issues; nothing is exported yet.
export {};
