export { pick, randomInt } from "./draw";
export { hashString, mix32 } from "./hash";
export { mixSeed } from "./mix-seed";
export type { Rng } from "./mulberry32";
export { mulberry32 } from "./mulberry32";
export { permutation, shuffle } from "./shuffle";
