// Public face of @sketch-xnor/viz. Filled by later issues; nothing is exported yet.
export {};
