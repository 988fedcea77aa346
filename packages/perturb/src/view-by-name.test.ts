import { expect, test } from "vitest";
import { viewByName, viewNames } from "./view-by-name";

test("every listed name builds the view of that name", () => {
  for (const name of viewNames) expect(viewByName(name).name).toBe(name);
});

test("an unknown name is an error that lists the valid ones", () => {
  expect(() => viewByName("blur")).toThrow(/unknown view "blur": expected one of informationPreserving/);
});
