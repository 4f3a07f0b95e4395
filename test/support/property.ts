import fc from 'fast-check';

/**
 * The seed every property test runs with: `FC_SEED` from the environment, else a fixed default,
 * so CI is reproducible. fast-check prints the seed and the shrunk counterexample on failure;
 * rerun with `FC_SEED=<seed> npx jest ...` to reproduce.
 */
export const PROPERTY_SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20261122;

/** `fc.assert` with the pinned seed and a bounded number of runs. */
export function checkProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IProperty<Ts>,
  params: fc.Parameters<Ts> = {},
): void {
  try {
    fc.assert(property, { seed: PROPERTY_SEED, numRuns: 100, ...params });
  } catch (e) {
    // Make the seed visible even when the runner truncates the message.
    console.error(`property failed with seed ${PROPERTY_SEED} (FC_SEED=${PROPERTY_SEED})`);
    throw e;
  }
}

/** {@link checkProperty} for asynchronous properties (`fc.asyncProperty`), same pinned seed. */
export async function checkAsyncProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncProperty<Ts>,
  params: fc.Parameters<Ts> = {},
): Promise<void> {
  try {
    await fc.assert(property, { seed: PROPERTY_SEED, numRuns: 100, ...params });
  } catch (e) {
    console.error(`property failed with seed ${PROPERTY_SEED} (FC_SEED=${PROPERTY_SEED})`);
    throw e;
  }
}
