/**
 * A compiled LIKE pattern (`%` any run of characters, `_` exactly one UTF-16 code unit, the rest literal, the whole
 * text, case-insensitive as RegExp's `i` flag without `u`). Matching is a greedy two-pointer walk that, on a mismatch,
 * only ever goes back to just after the last `%` seen: O(text × pattern) at worst, never exponential, whatever the
 * number of wildcards (a regex `.*.*.*…#` backtracks exponentially on a text that does not end in `#`).
 */
export class LikePattern {
  /** The pattern's code units, case-folded; runs of `%` collapsed into one (they mean the same). */
  private readonly units: string[] = [];

  constructor(pattern: string) {
    for (let index = 0; index < pattern.length; index += 1) {
      const unit = pattern[index]!;
      if (unit === '%' && this.units.at(-1) === '%') continue;
      this.units.push(unit === '%' || unit === '_' ? unit : fold(unit));
    }
  }

  matches(text: string): boolean {
    const units = this.units;
    let at = 0; // in text
    let symbol = 0; // in the pattern
    let afterStar = -1; // the pattern index just after the last `%`, and where in text it was tried from
    let starText = 0;
    while (at < text.length) {
      const wanted = units[symbol];
      if (wanted === '%') {
        afterStar = symbol + 1;
        starText = at;
        symbol += 1;
      } else if (wanted !== undefined && (wanted === '_' || wanted === fold(text[at]!))) {
        symbol += 1;
        at += 1;
      } else if (afterStar >= 0) {
        // Let the last `%` swallow one more character and try the rest again from there.
        starText += 1;
        at = starText;
        symbol = afterStar;
      } else {
        return false;
      }
    }
    while (units[symbol] === '%') symbol += 1;
    return symbol === units.length;
  }
}

/** RegExp's case folding without the `u` flag (ECMA-262 Canonicalize): upper case, unless that is not one unit or leaves non-ASCII for ASCII. */
function fold(unit: string): string {
  const upper = unit.toUpperCase();
  if (upper.length !== 1) return unit;
  if (unit.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) return unit;
  return upper;
}
