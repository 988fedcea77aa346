import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * How to start this package's `cppo` command in a child process. From the built package it is `node
 * dist/cli.js`; from the TypeScript sources (tests, development) it is `node --import tsx src/cli.ts` with
 * the `@cppo/source` condition, run from the package folder so `tsx` resolves.
 *
 * @example
 * const { command, args, cwd } = cppoCommand();
 * spawn(command, [...args, "train", "--steps", "5"], { cwd });
 */
export function cppoCommand(): { command: string; args: string[]; cwd: string | undefined } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) {
    return {
      command: process.execPath,
      args: ["--conditions=@cppo/source", "--import", "tsx", join(dirname(here), "cli.ts")],
      cwd: dirname(dirname(here)),
    };
  }
  return { command: process.execPath, args: [join(dirname(here), "cli.js")], cwd: undefined };
}
