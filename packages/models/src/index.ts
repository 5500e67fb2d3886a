// Public face of @sketch-xnor/models. Filled by later issues; nothing is exported yet.
export {};
