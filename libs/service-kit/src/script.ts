/**
 * A command-line script of a service (a bench, the import, a generator): `main` resolves to the exit code; a throw
 * prints the error and exits 1. The exit code is set, not forced, so open handles still close.
 */
export const runScript = (main: () => Promise<number>): void => {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
};

/**
 * A script's clean-up, step by step: each step on its own, so one failing does not leave the others' leftovers
 * behind; a failure is added to `failures` (the script reports them and exits 1).
 */
export const cleanUpInto =
  (failures: string[]) =>
  async (what: string, step: () => Promise<unknown>): Promise<void> => {
    try {
      await step();
    } catch (error) {
      failures.push(`clean-up, ${what}: ${String(error)}`);
    }
  };
