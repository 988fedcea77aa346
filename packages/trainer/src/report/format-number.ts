/**
 * Formats a figure for a person: integers as they are, other numbers to `digits` significant digits with
 * trailing zeros dropped, very small or large magnitudes in exponent form, and non-finite values as `NaN`,
 * `inf`, `-inf`.
 *
 * @example
 * formatNumber(0.123456); // "0.1235"
 * formatNumber(0.0000123); // "1.23e-5"
 * formatNumber(250); // "250"
 */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isInteger(digits) || digits < 1 || digits > 21) {
    throw new Error(`formatNumber: digits must be an integer in [1, 21], got ${digits}`);
  }
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e15) return String(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) {
    const [mantissa = "", exponent = ""] = value.toExponential(digits - 1).split("e");
    return `${trimZeros(mantissa)}e${exponent.replace("+", "")}`;
  }
  return trimZeros(value.toPrecision(digits));
}

function trimZeros(fixed: string): string {
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}
