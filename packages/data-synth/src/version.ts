import { SYNTH_FAMILIES, SYNTH_V2_FAMILIES, type SynthFamily } from "./problem";

/**
 * Generator version. 1 is the original testbed (32 px default, colour-named questions, one-digit values) and
 * stays the default, so its problems and results reproduce bit for bit; 2 is the 64 px testbed whose questions
 * name things by position or by a drawn label.
 */
export type SynthVersion = 1 | 2;

/** Every generator version, oldest first. */
export const SYNTH_VERSIONS: readonly SynthVersion[] = [1, 2];

/** Default image side per version, in pixels. */
export const DEFAULT_IMAGE_SIZES: Readonly<Record<SynthVersion, number>> = { 1: 32, 2: 64 };

/** Validates a version, naming the caller in the error. */
export function checkVersion(version: unknown, where: string): SynthVersion {
  if (version !== 1 && version !== 2) {
    throw new Error(`${where}: version must be 1 or 2, got ${JSON.stringify(version)}`);
  }
  return version;
}

/**
 * The families of a version, in the order its datasets cycle through them.
 *
 * @example
 * synthFamilies(2); // ["bars", "dots", "grid", "numbers"]
 */
export function synthFamilies(version: SynthVersion = 1): readonly SynthFamily[] {
  return checkVersion(version, "synthFamilies") === 1 ? SYNTH_FAMILIES : SYNTH_V2_FAMILIES;
}
