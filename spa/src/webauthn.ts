// The browser's side of passkeys (WebAuthn), for every screen that uses one:
// enrollment, the second step of a sign-in, sign-in without a password, the
// account page. The server hands out options as JSON
// (PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON) and takes the
// browser's answer as JSON (RegistrationResponseJSON / AuthenticationResponseJSON):
// the browser's own parse…FromJSON and toJSON() do the conversions, so no
// base64url code lives here.
//
// A person who closes the browser's prompt, or a browser without passkeys,
// gets a PasskeyCancelled / PasskeyUnsupported error, which errors.ts turns
// into a sentence (nothing reaches the server, no attempt is spent).

export type WebAuthnJSON = Record<string, unknown>;

export class PasskeyUnsupported extends Error {
  constructor() {
    super("This browser can't use passkeys.");
    this.name = "PasskeyUnsupported";
  }
}

export class PasskeyCancelled extends Error {
  constructor() {
    super("The passkey prompt was closed.");
    this.name = "PasskeyCancelled";
  }
}

interface JSONCapable {
  parseCreationOptionsFromJSON?: (options: unknown) => PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON?: (options: unknown) => PublicKeyCredentialRequestOptions;
}

function api(): JSONCapable {
  const found = (globalThis as { PublicKeyCredential?: JSONCapable }).PublicKeyCredential;
  if (!found || !navigator.credentials || !window.isSecureContext) throw new PasskeyUnsupported();
  return found;
}

// Whether this browser can register and use passkeys at all (the JSON
// helpers are in every current browser: Chrome/Edge 129, Firefox 119, Safari 18.4).
export function passkeysSupported(): boolean {
  try {
    const found = api();
    return typeof found.parseCreationOptionsFromJSON === "function" && typeof found.parseRequestOptionsFromJSON === "function";
  } catch {
    return false;
  }
}

function answer(credential: Credential | null): WebAuthnJSON {
  if (!credential) throw new PasskeyCancelled();
  return (credential as PublicKeyCredential).toJSON() as unknown as WebAuthnJSON;
}

// NotAllowedError is what every browser throws when the person cancels or the
// prompt times out; it is not the server's business.
function translated(error: unknown): unknown {
  if (error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "AbortError")) {
    return new PasskeyCancelled();
  }
  return error;
}

// Registration: passkeyRegistrationBegin's `options` in, the
// RegistrationResponseJSON for passkeyRegistrationComplete out.
export async function createPasskey(options: WebAuthnJSON): Promise<WebAuthnJSON> {
  const parse = api().parseCreationOptionsFromJSON;
  if (!parse) throw new PasskeyUnsupported();
  try {
    return answer(await navigator.credentials.create({ publicKey: parse(options) }));
  } catch (error) {
    throw translated(error);
  }
}

// An assertion: tokenAuth's `passkeyOptions` (second step) or
// passkeyLoginBegin's `options` (no password) in, the
// AuthenticationResponseJSON for verifyToken / passkeyLoginComplete out.
export async function getPasskey(options: WebAuthnJSON): Promise<WebAuthnJSON> {
  const parse = api().parseRequestOptionsFromJSON;
  if (!parse) throw new PasskeyUnsupported();
  try {
    return answer(await navigator.credentials.get({ publicKey: parse(options) }));
  } catch (error) {
    throw translated(error);
  }
}
