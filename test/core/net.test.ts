import * as fc from "fast-check";
import { Address4 } from "ip-address";
import { addressToBigInt, bigIntToAddress, parseCidr } from "../../core/net";

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
