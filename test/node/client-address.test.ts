// The rate limiter's view of a client address: IPv4 by address, IPv6 by its /64, loopback never limited.
import { describe, expect, it } from "vitest";
import { isLoopback, rateLimitKey } from "../../worker/client-address.js";

describe("rateLimitKey", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:DB8:0:0:1::7", "2001:db8:0:0::/64"],
    ["2001:0db8:0000:0000:ffff:ffff:ffff:ffff", "2001:db8:0:0::/64"],
    ["2001:db8:a:b:c:d:e:f", "2001:db8:a:b::/64"],
    ["2001:db8::192.0.2.1", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["::ffff:c000:201", "192.0.2.1"],
    ["1::2::3", "1::2::3"],
    ["1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8:9"],
    ["not an address", "not an address"],
  ])("keys %s as %s", (address, key) => {
    expect(rateLimitKey(address)).toBe(key);
  });

  it("gives every address of one /64 one key, and the next /64 another", () => {
    const keys = new Set(Array.from({ length: 50 }, (_, i) => rateLimitKey(`2001:db8:1:2:${i.toString(16)}::${i}`)));
    expect([...keys]).toEqual(["2001:db8:1:2::/64"]);
    expect(rateLimitKey("2001:db8:1:3::1")).not.toBe(rateLimitKey("2001:db8:1:2::1"));
  });
});

describe("isLoopback", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["::1", true],
    ["0:0:0:0:0:0:0:1", true],
    ["::ffff:127.0.0.1", true],
    ["203.0.113.7", false],
    ["::2", false],
    ["2001:db8::1", false],
  ])("%s: %s", (address, loopback) => {
    expect(isLoopback(address)).toBe(loopback);
  });
});
