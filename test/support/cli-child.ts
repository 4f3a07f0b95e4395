import { main } from '../../src/cli/main.js';

/** `dln-hessian ARGV…` from the sources, as `dist/src/cli/main.js` runs it (for {@link spawnTs}). */
void Promise.resolve(main(process.argv.slice(2))).then((status) => {
  process.exitCode = status;
});
