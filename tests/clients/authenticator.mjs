// A software WebAuthn authenticator in Node, written from the specs (WebAuthn L3
// §6.1 authenticator data, §6.5.4 `none` attestation; COSE EC2 keys, RFC 9053),
// independently of the server: an ES256 key from node:crypto and a small CBOR
// encoder. It answers what a browser's `credential.toJSON()` gives for
// navigator.credentials.create() / .get() with the server's options, so client
// tests drive the passkey flows without a browser. Flags and the counter are
// under the test's control.

import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";

const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

export const b64u = (bytes) => Buffer.from(bytes).toString("base64url");
const sha256 = (data) => createHash("sha256").update(data).digest();

// --- CBOR (RFC 8949), just what attestations need: ints, bytes, text, arrays, maps --

function head(major, value) {
  if (value < 24) return Buffer.from([(major << 5) | value]);
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value]);
  if (value < 0x10000) {
    const out = Buffer.alloc(3);
    out[0] = (major << 5) | 25;
    out.writeUInt16BE(value, 1);
    return out;
  }
  const out = Buffer.alloc(5);
  out[0] = (major << 5) | 26;
  out.writeUInt32BE(value, 1);
  return out;
}

export function cbor(value) {
  if (Number.isInteger(value)) return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  }
  if (typeof value === "string") {
    const text = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, text.length), text]);
  }
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new TypeError(`cbor: unsupported ${typeof value}`);
}

// --- The authenticator: one credential -----------------------------------------------

export class SoftAuthenticator {
  constructor({ origin = "http://localhost:8000", backupEligible = false, counterStep = 1 } = {}) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = privateKey;
    this.jwk = publicKey.export({ format: "jwk" });
    this.credentialId = randomBytes(16);
    this.origin = origin;
    this.userHandle = null;
    this.userVerified = true;
    this.backupEligible = backupEligible;
    this.counterStep = counterStep;
    this.signCount = 0;
  }

  get id() {
    return b64u(this.credentialId);
  }

  flags(extra = 0) {
    let flags = UP | extra;
    if (this.userVerified) flags |= UV;
    if (this.backupEligible) flags |= BE | BS;
    return flags;
  }

  coseKey() {
    return cbor(
      new Map([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(this.jwk.x, "base64url")],
        [-3, Buffer.from(this.jwk.y, "base64url")],
      ]),
    );
  }

  clientData(type, options) {
    return Buffer.from(
      JSON.stringify({ type, challenge: options.challenge, origin: this.origin, crossOrigin: false }),
    );
  }

  authData(rpId, extra, attested = Buffer.alloc(0)) {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.signCount);
    return Buffer.concat([sha256(rpId), Buffer.from([this.flags(extra)]), count, attested]);
  }

  // RegistrationResponseJSON for PublicKeyCredentialCreationOptionsJSON.
  create(options) {
    this.userHandle = Buffer.from(options.user.id, "base64url");
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.coseKey()]);
    const authData = this.authData(options.rp.id, AT, attested);
    const attestationObject = cbor(
      new Map([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(this.clientData("webauthn.create", options)),
        attestationObject: b64u(attestationObject),
        transports: ["internal"],
      },
    };
  }

  // AuthenticationResponseJSON for PublicKeyCredentialRequestOptionsJSON.
  get(options) {
    this.signCount += this.counterStep;
    const authData = this.authData(options.rpId, 0);
    const clientData = this.clientData("webauthn.get", options);
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientData)]), {
      key: this.privateKey,
      dsaEncoding: "der",
    });
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: this.userHandle ? b64u(this.userHandle) : null,
      },
    };
  }
}
