import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { selectBackend } from "./backend";

const notFound = (module: string) =>
  Object.assign(new Error(`Cannot find package '${module}' imported from x.js`), {
    code: "ERR_MODULE_NOT_FOUND",
  });

describe("selectBackend", () => {
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  it("skips missing packages silently and falls through to cpu", async () => {
    const tried: string[] = [];
    const importer = async (module: string) => {
      tried.push(module);
      if (module !== "@tensorflow/tfjs-backend-cpu") throw notFound(module);
    };
    const result = await selectBackend(undefined, importer);
    expect(result).toEqual({ name: "cpu", backend: "cpu", skipped: [] });
    expect(tried).toEqual([
      "@tensorflow/tfjs-node-gpu",
      "@tensorflow/tfjs-node",
      "@tensorflow/tfjs-backend-wasm",
      "@tensorflow/tfjs-backend-cpu",
    ]);
  });

  it("reports import errors other than a missing package", async () => {
    const importer = async (module: string) => {
      if (module === "@tensorflow/tfjs-node") throw new Error("libtensorflow.so: cannot open shared object");
      if (module !== "@tensorflow/tfjs-backend-cpu") throw notFound(module);
    };
    const result = await selectBackend(undefined, importer);
    expect(result.name).toBe("cpu");
    expect(result.skipped).toEqual(["@tensorflow/tfjs-node: libtensorflow.so: cannot open shared object"]);
  });

  it("honours a preferred backend and explains an unknown or missing one", async () => {
    expect((await selectBackend("cpu")).backend).toBe("cpu");
    await expect(selectBackend("tpu")).rejects.toThrow(/unknown backend "tpu".*cpu/);
    await expect(selectBackend("tensorflow")).rejects.toThrow(/npm i @tensorflow\/tfjs-node/);
  });
});
