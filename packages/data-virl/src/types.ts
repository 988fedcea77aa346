/** One training example, the shape shared with `@cppo/data-synth`; the trainer takes either by structure. */
export interface VirlExample {
  id: string;
  /** The question with one `<image>` per image and the instruction appended. */
  prompt: string;
  groundTruth: string;
  /** Encoded image bytes (PNG, JPEG, ...), short side at least `minImageSide`. */
  images: Uint8Array[];
  category: string;
  source: string;
  /** null where the file says -1 (unannotated) or has no such column. */
  passRate32B: number | null;
  passRate7B: number | null;
}

/** Random access plus async iteration over examples. */
export interface ExampleDataset<E> {
  readonly length: number;
  get(i: number): Promise<E>;
  [Symbol.asyncIterator](): AsyncIterator<E>;
}
