import type { GradConfig, NamedAttrMap, Tensor } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

type Grads = Record<string, () => Tensor>;

/** Sums `dy` over the axes along which an input of `shape` was broadcast, then restores `shape`. */
function unbroadcast(dy: Tensor, shape: number[]): Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, dy.shape);
  const reduced = axes.length > 0 ? tf.sum(dy, axes) : dy;
  return tf.reshape(reduced, shape);
}

function axesOf(attr: unknown, rank: number): number[] {
  const list =
    attr === null || attr === undefined ? [...Array(rank).keys()] : Array.isArray(attr) ? attr : [attr];
  return (list as number[]).map((axis) => (axis < 0 ? axis + rank : axis));
}

/** `dy` reshaped to `shape` with the reduced `axes` kept as size 1, so it broadcasts back over the input. */
function expandReduced(dy: Tensor, shape: number[], axes: number[]): Tensor {
  return tf.reshape(
    dy,
    shape.map((size, axis) => (axes.includes(axis) ? 1 : size)),
  );
}

function binary(
  kernelName: string,
  grads: (dy: Tensor, a: Tensor, b: Tensor) => [Tensor, Tensor],
): GradConfig {
  return {
    kernelName,
    inputsToSave: ["a", "b"],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as [Tensor, Tensor];
      return {
        a: () => unbroadcast(grads(dy as Tensor, a, b)[0], a.shape),
        b: () => unbroadcast(grads(dy as Tensor, a, b)[1], b.shape),
      };
    },
  };
}

function unary(kernelName: string, grad: (dy: Tensor, x: Tensor, attrs: NamedAttrMap) => Tensor): GradConfig {
  return {
    kernelName,
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => ({
      x: () => grad(dy as Tensor, (saved as Tensor[])[0] as Tensor, attrs),
    }),
  };
}

/** Gradients of every kernel the TinyVLM forward pass and the CPPO losses go through, derived by hand. */
const CONFIGS: GradConfig[] = [
  binary("Add", (dy) => [dy, dy]),
  binary("Sub", (dy) => [dy, tf.neg(dy)]),
  binary("Multiply", (dy, a, b) => [tf.mul(dy, b), tf.mul(dy, a)]),
  binary("RealDiv", (dy, a, b) => [tf.div(dy, b), tf.neg(tf.div(tf.mul(dy, a), tf.square(b)))]),
  binary("Maximum", (dy, a, b) => {
    const pickA = tf.cast(tf.greaterEqual(a, b), "float32");
    return [tf.mul(dy, pickA), tf.mul(dy, tf.sub(1, pickA))];
  }),
  binary("Minimum", (dy, a, b) => {
    const pickA = tf.cast(tf.lessEqual(a, b), "float32");
    return [tf.mul(dy, pickA), tf.mul(dy, tf.sub(1, pickA))];
  }),
  binary("SquaredDifference", (dy, a, b) => {
    const twice = tf.mul(2, tf.sub(a, b));
    return [tf.mul(dy, twice), tf.neg(tf.mul(dy, twice))];
  }),
  unary("Neg", (dy) => tf.neg(dy)),
  unary("Square", (dy, x) => tf.mul(dy, tf.mul(2, x))),
  unary("Sqrt", (dy, x) => tf.div(dy, tf.mul(2, tf.sqrt(x)))),
  unary("Exp", (dy, x) => tf.mul(dy, tf.exp(x))),
  unary("Log", (dy, x) => tf.div(dy, x)),
  unary("Log1p", (dy, x) => tf.div(dy, tf.add(1, x))),
  unary("Abs", (dy, x) => tf.mul(dy, tf.sign(x))),
  unary("Tanh", (dy, x) => tf.mul(dy, tf.sub(1, tf.square(tf.tanh(x))))),
  unary("Sigmoid", (dy, x) => {
    const s = tf.sigmoid(x);
    return tf.mul(dy, tf.mul(s, tf.sub(1, s)));
  }),
  unary("Softplus", (dy, x) => tf.mul(dy, tf.sigmoid(x))),
  unary("Relu", (dy, x) => tf.mul(dy, tf.cast(tf.greater(x, 0), "float32"))),
  unary("ClipByValue", (dy, x, attrs) => {
    const { clipValueMin, clipValueMax } = attrs as unknown as { clipValueMin: number; clipValueMax: number };
    const inside = tf.logicalAnd(tf.greaterEqual(x, clipValueMin), tf.lessEqual(x, clipValueMax));
    return tf.mul(dy, tf.cast(inside, "float32"));
  }),
  // the tape disposes dy after use, so pass-through gradients must be fresh tensors
  unary("Cast", (dy) => tf.clone(dy)),
  unary("Identity", (dy) => tf.clone(dy)),
  unary("Reshape", (dy, x) => tf.reshape(dy, x.shape)),
  unary("Transpose", (dy, _x, attrs) => {
    const perm = attrs.perm as number[];
    const inverse = new Array<number>(perm.length);
    perm.forEach((axis, i) => {
      inverse[axis] = i;
    });
    return tf.transpose(dy, inverse);
  }),
  unary("Slice", (dy, x, attrs) => {
    const begin = attrs.begin as number[];
    const size = attrs.size as number[];
    return tf.pad(
      dy,
      x.shape.map((dim, axis) => {
        const start = begin[axis] ?? 0;
        const length = size[axis] === undefined || size[axis] === -1 ? dim - start : (size[axis] as number);
        return [start, dim - start - length] as [number, number];
      }),
    );
  }),
  unary("Sum", (dy, x, attrs) =>
    tf.mul(expandReduced(dy, x.shape, axesOf(attrs.axis, x.rank)), tf.onesLike(x)),
  ),
  unary("Mean", (dy, x, attrs) => {
    const axes = axesOf(attrs.axis, x.rank);
    const count = axes.reduce((n, axis) => n * (x.shape[axis] as number), 1);
    return tf.div(tf.mul(expandReduced(dy, x.shape, axes), tf.onesLike(x)), count);
  }),
  unary("Tile", (dy, x, attrs) => {
    const reps = attrs.reps as number[];
    // view dy as [reps0, x0, reps1, x1, ...] and sum the repetition axes
    const split = x.shape.flatMap((dim, axis) => [reps[axis] as number, dim]);
    return tf.sum(
      tf.reshape(dy, split),
      x.shape.map((_, axis) => 2 * axis),
    );
  }),
  {
    kernelName: "Softmax",
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const y = (saved as Tensor[])[0] as Tensor;
      const dim = attrs.dim as number;
      const dyY = tf.mul(dy as Tensor, y);
      return { logits: () => tf.sub(dyY, tf.mul(tf.sum(dyY, dim, true), y)) };
    },
  },
  {
    kernelName: "BatchMatMul",
    inputsToSave: ["a", "b"],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [Tensor, Tensor];
      const g = dy as Tensor;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      // C = op(A) op(B): dop(A) = dC op(B)^T, dop(B) = op(A)^T dC, then undo each op
      const da = transposeA ? matMulT(b, g, transposeB, true) : matMulT(g, b, false, !transposeB);
      const db = transposeB ? matMulT(g, a, true, transposeA) : matMulT(a, g, !transposeA, false);
      return { a: () => unbroadcastBatch(da, a.shape), b: () => unbroadcastBatch(db, b.shape) };
    },
  },
  {
    kernelName: "Concat",
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const inputs = saved as Tensor[];
      const rank = (inputs[0] as Tensor).rank;
      const axis = axesOf(attrs.axis, rank)[0] as number;
      const pieces = tf.split(
        dy as Tensor,
        inputs.map((t) => t.shape[axis] as number),
        axis,
      );
      return pieces.map((piece) => () => piece) as unknown as Grads;
    },
  },
  {
    kernelName: "SplitV",
    gradFunc: (dy, _saved, attrs) => ({ x: () => tf.concat(dy as Tensor[], attrs.axis as number) }),
  },
  {
    kernelName: "AddN",
    saveAllInputs: true,
    gradFunc: (dy, saved) => (saved as Tensor[]).map(() => () => tf.clone(dy as Tensor)) as unknown as Grads,
  },
  {
    kernelName: "GatherV2",
    inputsToSave: ["x", "indices"],
    gradFunc: (dy, saved, attrs) => {
      const [x, indices] = saved as [Tensor, Tensor];
      if (attrs.axis !== 0 || (attrs.batchDims ?? 0) !== 0) {
        throw new Error("gradients: GatherV2 gradient is implemented for axis 0, batchDims 0 only");
      }
      return {
        x: () => {
          // scatter-add as oneHot^T @ rows: wasm has no UnsortedSegmentSum kernel, and vocabularies here are small
          const inner = x.shape.slice(1);
          const width = inner.reduce((a, b) => a * b, 1);
          const rows = tf.reshape(dy as Tensor, [indices.size, width]);
          const picks = tf.oneHot(
            tf.reshape(tf.cast(indices, "int32"), [indices.size]),
            x.shape[0] as number,
          );
          return tf.reshape(tf.matMul(picks, rows, true, false), x.shape);
        },
        indices: () => tf.zerosLike(indices),
      };
    },
  },
  {
    kernelName: "Select",
    inputsToSave: ["condition"],
    gradFunc: (dy, saved) => {
      const condition = tf.cast((saved as Tensor[])[0] as Tensor, "float32");
      const g = dy as Tensor;
      return {
        condition: () => tf.zerosLike(condition),
        t: () => tf.mul(g, condition),
        e: () => tf.mul(g, tf.sub(1, condition)),
      };
    },
  },
];

/** Swaps the last two axes. */
export function transposeLast(x: Tensor): Tensor {
  const perm = [...Array(x.rank).keys()];
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return tf.transpose(x, perm);
}

/**
 * `matMul` with explicit transposes: the wasm backend runs transposed operands several times slower than
 * plain ones (about 0.7 against 10 GFLOP/s for the weight gradients of a dense layer).
 */
export function matMulT(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  return tf.matMul(transposeA ? transposeLast(a) : a, transposeB ? transposeLast(b) : b);
}

/** Batched matmul inputs may broadcast over batch dims: sum the gradient back to the input's shape. */
function unbroadcastBatch(grad: Tensor, shape: number[]): Tensor {
  if (grad.rank === shape.length && grad.shape.every((s, i) => s === shape[i])) return grad;
  const extra = grad.rank - shape.length;
  const summed = extra > 0 ? tf.sum(grad, [...Array(extra).keys()]) : grad;
  return unbroadcast(summed, shape);
}

let registered = false;

/**
 * Registers gradient functions for the kernels TinyVLM and the CPPO losses use. tfjs-core ships its gradients
 * only as extension-less ES modules (`dist/register_all_gradients`) that plain Node cannot load, so without this
 * `tf.variableGrads` fails with "gradient function not found". Kernels that already have a gradient (for
 * example when `@tensorflow/tfjs` or `tfjs-node` is loaded) keep theirs. Idempotent; returns the kernels it
 * registered.
 *
 * @example
 * registerTrainingGradients();
 * tf.grad((x) => tf.tanh(x))(tf.scalar(0)); // 1
 */
export function registerTrainingGradients(): string[] {
  if (registered) return [];
  registered = true;
  const added: string[] = [];
  for (const config of CONFIGS) {
    if (tf.getGradient(config.kernelName) !== undefined) continue;
    tf.registerGradient(config);
    added.push(config.kernelName);
  }
  return added;
}
