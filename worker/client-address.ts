// A client's address as the rate limiter sees it: loopback left alone, IPv4 by address, IPv6 by its /64.

/** Whether an address is this machine's own (127.0.0.0/8, ::1), which Cloudflare's edge never reports. */
export function isLoopback(address: string): boolean {
  const text = address.trim().toLowerCase();
  if (rateLimitKey(text).startsWith("127.")) return true;
  const hextets = text.includes(":") ? ipv6Hextets(text) : null;
  return hextets?.slice(0, 7).every((h) => h === 0) === true && hextets[7] === 1;
}

/**
 * The rate limiter's key for a client address: an IPv4 address as it is, an IPv6 address by its /64 network
 * (one subscriber's share, which one client can rotate through at will), an IPv4 address written in IPv6
 * (`::ffff:192.0.2.1`) as IPv4. Anything else is used as it is.
 *
 * @example
 * rateLimitKey("2001:db8:0:0:1::7") // "2001:db8:0:0::/64"
 */
export function rateLimitKey(address: string): string {
  const text = address.trim().toLowerCase();
  if (!text.includes(":")) return text;
  const hextets = ipv6Hextets(text.replace(/%.*$/, ""));
  if (!hextets) return text;
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    const [high = 0, low = 0] = hextets.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
  }
  return `${hextets
    .slice(0, 4)
    .map((h) => h.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address ("::" expanded, a trailing IPv4 address as two), or null. */
function ipv6Hextets(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2 || !/^[0-9a-f:.]+$/.test(text)) return null;
  const parse = (part: string | undefined): number[] | null => {
    if (!part) return [];
    const out: number[] = [];
    const groups = part.split(":");
    for (const [i, group] of groups.entries()) {
      const v4 = i === groups.length - 1 ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(group) : null;
      if (v4) {
        const bytes = v4.slice(1).map(Number);
        if (bytes.some((b) => b > 255)) return null;
        out.push(((bytes[0] as number) << 8) | (bytes[1] as number), ((bytes[2] as number) << 8) | (bytes[3] as number));
      } else if (/^[0-9a-f]{1,4}$/.test(group)) out.push(Number.parseInt(group, 16));
      else return null;
    }
    return out;
  };
  const left = parse(halves[0]);
  const right = parse(halves[1]);
  if (!left || !right) return null;
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...left, ...Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...right];
}
