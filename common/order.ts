// One order for strings everywhere: by UTF-16 code units, so that no result depends on the machine's locale.

/** Compares two strings by their UTF-16 code units (as `<` does), for `sort`: -1, 0 or 1. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
