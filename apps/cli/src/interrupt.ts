// Ctrl-C: the first one asks the running command to stop cleanly (the trainer finishes its step and writes a
// checkpoint; a download keeps its partial file), a second one exits at once.
import { EXIT } from './errors.js';

export function interruptSignal(message: string): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) {
      process.stderr.write('\nstopped\n');
      process.exit(EXIT.interrupted);
    }
    process.stderr.write(`\n${message} (Ctrl-C again to quit at once)\n`);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
