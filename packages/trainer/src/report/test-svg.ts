// Test helper (not exported): a strict little SVG reader, so tests check the document a viewer would see.

export type SvgElement = {
  tag: string;
  attrs: Record<string, string>;
  text: string;
  parent: SvgElement | null;
};

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(\w+);/g, (whole, name: string) => ENTITIES[name] ?? whole);
}

/** Parses an SVG string into a flat list of elements (document order), throwing if it is not well-formed. */
export function parseSvg(svg: string): SvgElement[] {
  const bad = svg.match(/&(?!(amp|lt|gt|quot|apos);)/);
  if (bad) throw new Error(`unescaped & at ${bad.index}`);
  const elements: SvgElement[] = [];
  const stack: SvgElement[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const match of svg.matchAll(token)) {
    const [, closing, tag = "", attrText = "", selfClosing, text, stray] = match;
    if (stray) throw new Error(`stray < at ${match.index}`);
    if (text !== undefined) {
      const top = stack[stack.length - 1];
      if (top) top.text += decodeEntities(text);
      else if (text.trim() !== "") throw new Error(`text outside the root: ${text}`);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (open?.tag !== tag) throw new Error(`</${tag}> closes <${open?.tag}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, name = "", value = ""] of attrText.matchAll(/([\w:-]+)="([^"]*)"/g))
      attrs[name] = decodeEntities(value);
    const element: SvgElement = { tag, attrs, text: "", parent: stack[stack.length - 1] ?? null };
    elements.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]?.tag}>`);
  return elements;
}

export function byClass(elements: SvgElement[], className: string): SvgElement[] {
  return elements.filter((e) => (e.attrs.class ?? "").split(" ").includes(className));
}

export function num(element: SvgElement | undefined, attr: string): number {
  const value = Number(element?.attrs[attr]);
  if (!Number.isFinite(value)) throw new Error(`no numeric ${attr} on <${element?.tag}>`);
  return value;
}

/** `"x1,y1 x2,y2"` -> pairs. */
export function pointPairs(points: string): Array<[number, number]> {
  return points
    .trim()
    .split(/\s+/)
    .map((pair) => pair.split(",").map(Number) as [number, number]);
}

export function insideOf(element: SvgElement, ancestor: SvgElement): boolean {
  for (let p = element.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}
