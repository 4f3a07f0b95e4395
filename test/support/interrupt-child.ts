import { writeFileSync } from 'node:fs';
import { onInterrupt } from '../../src/process/interrupt.js';

/**
 * A process holding something under `onInterrupt` (for test/process/interrupt.test.ts). Argument:
 * `clean` (a cleanup that writes the file named by the second argument, then reports), `hang` (a
 * cleanup that never finishes), `failing` (a cleanup that throws), `released` (registered, then
 * removed). Prints `ready` once set up, then waits for a signal.
 */
const [mode, file] = process.argv.slice(2);
if (mode === 'clean') {
  onInterrupt(async () => {
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(file as string, 'cleaned');
    return 'removed the test resource';
  });
  onInterrupt(() => undefined);
} else if (mode === 'hang') {
  onInterrupt(() => new Promise<void>(() => undefined));
} else if (mode === 'failing') {
  onInterrupt(() => {
    throw new Error('disk gone');
  });
} else if (mode === 'released') {
  onInterrupt(() => 'never')();
}
setInterval(() => undefined, 1000);
process.stdout.write('ready\n');
