import * as fc from "fast-check";
import { Address4 } from "ip-address";
import { addressToBigInt, bigIntToAddress, canonicalCidr, parseCidr } from "../../core/net";

/** What ip-address makes of an IPv4 block: the reference the fast path must equal. */
function reference(text: string) {
  const a = new Address4(text);
  const first = a.startAddress().bigInt();
  return {
    text,
    version: 4,
    prefix: a.subnetMask,
    first,
    last: a.endAddress().bigInt(),
    hostBitsSet: new Address4(a.addressMinusSuffix ?? text).bigInt() !== first,
  };
}

const octet = fc.integer({ min: 0, max: 255 });
const quad = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));

describe("IPv4 parsing", () => {
  test("blocks equal what ip-address computes, for any address and prefix", () => {
    fc.assert(
      fc.property(quad, fc.integer({ min: 0, max: 32 }), (address, prefix) => {
        const text = `${address}/${prefix}`;
        expect(parseCidr(text)).toEqual(reference(text));
      }),
      { seed: 20261202, numRuns: 2000 },
    );
  });

  test("addresses round-trip through their integer", () => {
    fc.assert(
      fc.property(quad, (address) => {
        expect(addressToBigInt(address)).toBe(new Address4(address).bigInt());
        expect(bigIntToAddress(addressToBigInt(address), 4)).toBe(address);
      }),
      { seed: 20261202, numRuns: 2000 },
    );
  });

  test.each(["10.0.0.1", "0.0.0.0/0", "255.255.255.255/32", "10.1.2.3/8"])(
    "%s parses as ip-address does",
    (text) => {
      expect(parseCidr(text)).toEqual(reference(text));
    },
  );

  test("leaves other spellings to ip-address, which refuses leading zeros", () => {
    expect(() => reference("010.0.0.0/8")).toThrow("leading zeroes");
    expect(() => parseCidr("010.0.0.0/8")).toThrow("leading zeroes");
  });
});

describe("IPv6 text as Neutron returns it", () => {
  // Each right side is what netaddr 0.8 (Neutron's) printed for the left, by glibc's inet_ntop.
  test.each([
    ["::ffff:10.1.100.0/120", "::ffff:10.1.100.0/120"],
    ["::ffff:0:0/96", "::ffff:0.0.0.0/96"],
    ["::1.2.3.4/128", "::1.2.3.4/128"],
    ["::1:2/128", "::0.1.0.2/128"],
    ["::2:0/112", "::0.2.0.0/112"],
    ["::1/128", "::1/128"],
    ["::/0", "::/0"],
    ["64:ff9b::10.1.1.1/128", "64:ff9b::a01:101/128"],
    ["::ffff:0:1.2.3.4/128", "::ffff:0:102:304/128"],
    ["0:0:0:0:0:1:0:0/128", "::1:0:0/128"],
    ["2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128"],
    ["2001:DB8::/32", "2001:db8::/32"],
    ["1:0:2:0:3:0:4:0/128", "1:0:2:0:3:0:4:0/128"],
  ])("%s is %s", (written, stored) => {
    expect(canonicalCidr(written)).toBe(stored);
  });

  test("an address and its text go back and forth", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xabc), { minLength: 8, maxLength: 8 }),
        (words) => {
          const value = words.reduce((v, w) => (v << 16n) | BigInt(w), 0n);
          expect(addressToBigInt(bigIntToAddress(value, 6))).toBe(value);
        },
      ),
      { seed: 20261205, numRuns: 500 },
    );
  });
});
