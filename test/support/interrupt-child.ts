import { writeFileSync } from 'node:fs';
import { onInterrupt, onInterruptRequest } from '../../src/process/interrupt.js';

/**
 * A process holding something under `onInterrupt` (for test/process/interrupt.test.ts). Argument:
 * `clean` (a cleanup that writes the file named by the second argument, then reports), `hang` (a
 * cleanup that never finishes), `failing` (a cleanup that throws), `released` (registered, then
 * removed), `request` (a stop request that prints `stopped by SIGNAL`, then exits 130 on its own, as
 * `train` does), `request+clean` (a stop request and a cleanup that writes the file). Prints `ready`
 * once set up, then waits for a signal.
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
} else if (mode === 'request' || mode === 'request+clean') {
  onInterruptRequest((signal) => {
    process.stdout.write(`stopped by ${signal}\n`);
    if (mode === 'request') setTimeout(() => process.exit(130), 50);
  });
  if (mode === 'request+clean') onInterrupt(() => writeFileSync(file as string, 'cleaned'));
} else if (mode === 'released') {
  onInterrupt(() => 'never')();
}
setInterval(() => undefined, 1000);
process.stdout.write('ready\n');
