// Entry of the playground page; the drawing and classification UI lands with the playground issue.
export {};
