#!/usr/bin/env node
// The sketch-xnor command; subcommands land with the train issue.
export {};
