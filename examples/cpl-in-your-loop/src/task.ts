import * as tf from "@tensorflow/tfjs";

/** Image side; an image is a flat `[SIDE * SIDE]` grey-level vector with one bright quadrant. */
export const SIDE = 4;
export const VOCAB = 5;
/** Response length: token 0 names the bright quadrant (it needs the image), tokens 1 and 2 are always 4. */
export const RESPONSE_LENGTH = 3;
export const FILLER = 4;

/** `[N, SIDE * SIDE]` images whose bright quadrant is `classes[n]`. */
export function makeImages(classes: number[]): tf.Tensor2D {
  const pixels = new Float32Array(classes.length * SIDE * SIDE);
  classes.forEach((quadrant, n) => {
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const inQuadrant = Math.floor(y / 2) * 2 + Math.floor(x / 2) === quadrant;
        pixels[n * SIDE * SIDE + y * SIDE + x] = inQuadrant ? 1 : 0.1;
      }
    }
  });
  return tf.tensor2d(pixels, [classes.length, SIDE * SIDE]);
}

/** Share of correct tokens: the quadrant at position 0, the filler after it. */
export function reward(tokens: number[], quadrant: number): number {
  const correct = tokens.filter((token, t) => token === (t === 0 ? quadrant : FILLER)).length;
  return correct / RESPONSE_LENGTH;
}
