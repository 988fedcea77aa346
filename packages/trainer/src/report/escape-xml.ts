/**
 * Escapes text for an SVG/XML text node or attribute. Characters XML 1.0 forbids even when escaped (C0
 * controls other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) become U+FFFD, so any model output
 * yields a well-formed document.
 *
 * @example
 * escapeXml('a < b & "c"'); // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "&") out += "&amp;";
    else if (char === "<") out += "&lt;";
    else if (char === ">") out += "&gt;";
    else if (char === '"') out += "&quot;";
    else if (char === "'") out += "&apos;";
    else if (isForbiddenInXml(code)) out += "\uFFFD";
    else out += char;
  }
  return out;
}

function isForbiddenInXml(code: number): boolean {
  if (code < 0x20) return code !== 0x09 && code !== 0x0a && code !== 0x0d;
  // `for...of` yields unpaired surrogates as single code units.
  if (code >= 0xd800 && code <= 0xdfff) return true;
  return code === 0xfffe || code === 0xffff;
}
