#!/usr/bin/env node
// The sketch-xnor command. All the work is in program.ts; this file only sets the exit code.
import { runCli } from './program.js';

const code = await runCli(process.argv);
process.exitCode = code;
// Leftover handles (a worker pool, a backend's timers) must not keep a finished command alive.
setTimeout(() => process.exit(code), 2000).unref();
