import { createPublicKey, type JsonWebKey } from "crypto";

/** The EC curve of each ECDSA key type, as OpenSSH names it inside the key and as JWK does. */
const CURVES: Readonly<Record<string, { ssh: string; jwk: string; bytes: number }>> = {
  "ecdsa-sha2-nistp256": { ssh: "nistp256", jwk: "P-256", bytes: 32 },
  "ecdsa-sha2-nistp384": { ssh: "nistp384", jwk: "P-384", bytes: 48 },
  "ecdsa-sha2-nistp521": { ssh: "nistp521", jwk: "P-521", bytes: 66 },
};

/** Reads the length-prefixed strings of the SSH wire format (RFC 4251). */
function wireStrings(blob: Buffer): Buffer[] | undefined {
  const out: Buffer[] = [];
  for (let at = 0; at < blob.length;) {
    if (at + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(at);
    if (at + 4 + length > blob.length) return undefined;
    out.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}

const b64url = (b: Buffer) => b.toString("base64url");
/** An mpint without the sign byte OpenSSH puts before a high bit. */
const unsigned = (b: Buffer) => (b.length > 1 && b[0] === 0 ? b.subarray(1) : b);

/**
 * Why Nova would refuse this OpenSSH public key, or undefined when it loads: Nova parses it with
 * cryptography's `load_ssh_public_key` (nova.crypto.generate_fingerprint), which checks that the
 * blob is the key its type names and that the key itself is valid.
 */
export function sshPublicKeyProblem(text: string): string | undefined {
  const [type, data] = text.split(" ");
  const blob = Buffer.from(data, "base64");
  if (blob.toString("base64") !== data) return "its key data is not valid base64";
  const parts = wireStrings(blob);
  if (!parts || parts.length === 0) return "its key data is cut short";
  const inner = parts[0].toString("latin1");
  if (inner !== type) return `its key data holds a ${inner || "nameless"} key, not ${type}`;
  let jwk: JsonWebKey;
  if (type === "ssh-ed25519") {
    if (parts.length !== 2 || parts[1].length !== 32) return "its key data is no Ed25519 key";
    jwk = { kty: "OKP", crv: "Ed25519", x: b64url(parts[1]) };
  } else if (type === "ssh-rsa") {
    if (parts.length !== 3) return "its key data is no RSA key";
    // An mpint with its high bit set is negative: cryptography refuses it ("Invalid data").
    if (parts.slice(1).some((p) => p.length > 0 && p[0] > 0x7f))
      return "its RSA numbers are negative";
    const [e, n] = [unsigned(parts[1]), unsigned(parts[2])];
    const big = (b: Buffer) => BigInt(`0x${b.toString("hex") || "0"}`);
    // cryptography's RSAPublicNumbers: an odd exponent of at least 3, below the modulus.
    if (big(e) < 3n || big(e) % 2n === 0n || big(e) >= big(n))
      return "its RSA exponent is not an odd number from 3 up to below the modulus";
    jwk = { kty: "RSA", e: b64url(e), n: b64url(n) };
  } else {
    const curve = CURVES[type];
    const point = parts[2];
    if (
      !curve ||
      parts.length !== 3 ||
      parts[1].toString("latin1") !== curve.ssh ||
      point.length !== 1 + 2 * curve.bytes ||
      point[0] !== 4
    )
      return `its key data is no ${type} key`;
    jwk = {
      kty: "EC",
      crv: curve.jwk,
      x: b64url(point.subarray(1, 1 + curve.bytes)),
      y: b64url(point.subarray(1 + curve.bytes)),
    };
  }
  try {
    createPublicKey({ key: jwk, format: "jwk" });
    return undefined;
  } catch {
    return "its key is not a valid public key";
  }
}
