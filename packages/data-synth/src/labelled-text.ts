/** A piece of a reference response: plain text, or a value read from the image (labelled as perception). */
export type ResponsePiece = string | { read: string };

/**
 * Joins pieces into a string and a per-character mask: 1 on characters of `{ read }` pieces, 0 elsewhere.
 *
 * @example
 * const { text, labels } = labelledText(["<think>red=", { read: "4" }, "</think>"]);
 * // text = "<think>red=4</think>", labels[11] = 1, every other label 0
 */
export function labelledText(pieces: readonly ResponsePiece[]): { text: string; labels: Uint8Array } {
  const text = pieces.map((piece) => (typeof piece === "string" ? piece : piece.read)).join("");
  const labels = new Uint8Array(text.length);
  let offset = 0;
  for (const piece of pieces) {
    if (typeof piece === "string") {
      offset += piece.length;
    } else {
      labels.fill(1, offset, offset + piece.read.length);
      offset += piece.read.length;
    }
  }
  return { text, labels };
}

/**
 * The reference response `<think>name=v ... arithmetic</think>\boxed{answer}`: each read value is labelled
 * as perception where it is first written (after `name=`); its copies in the arithmetic are not, since they
 * can be copied from the response itself without looking at the image again.
 *
 * @example
 * reasoningResponse([["red", 4], ["blue", 7]], "4+7=11", "11").text;
 * // "<think>red=4 blue=7 4+7=11</think>\\boxed{11}"
 */
export function reasoningResponse(
  readings: ReadonlyArray<readonly [name: string, value: number]>,
  arithmetic: string,
  answer: string,
): { text: string; labels: Uint8Array } {
  const pieces: ResponsePiece[] = ["<think>"];
  for (const [name, value] of readings) pieces.push(`${name}=`, { read: String(value) }, " ");
  pieces.push(`${arithmetic}</think>\\boxed{${answer}}`);
  return labelledText(pieces);
}
