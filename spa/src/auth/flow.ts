// The calls behind each step of the sign-in flow. Each returns the machine
// event that describes its outcome; App.tsx dispatches it. Errors are thrown
// as they come (errors.ts turns them into sentences).
import { client } from "../api";
import {
  MeDocument,
  PasskeyLoginBeginDocument,
  PasskeyLoginCompleteDocument,
  PasskeyRegistrationBeginDocument,
  PasskeyRegistrationCompleteDocument,
  RegisterDocument,
  RegisterPhoneDocument,
  ResendCodeDocument,
  SignInDocument,
  SignOutDocument,
  VerifyCodeDocument,
  VerifyPasskeyDocument,
  VerifyPhoneDocument,
} from "../generated/graphql";
import type { Channel } from "../generated/schema";
import type { Event, Method } from "./machine";
import { refreshSession } from "./session";
import { setAccessToken } from "./tokens";
import { createPasskey, getPasskey, passkeysSupported, type WebAuthnJSON } from "../webauthn";

async function whoAmI(extra: { recoveryCodesNeeded?: boolean } = {}): Promise<Event> {
  const { data } = await client.query({ query: MeDocument, fetchPolicy: "network-only" });
  const me = data?.me;
  if (!me) return { type: "signedOut" };
  return { type: "authenticated", username: me.username, twoFactorEnabled: me.twoFactor.enabled, ...extra };
}

// On start-up: a browser session survives a reload through its cookie.
export async function restore(): Promise<Event> {
  if (!(await refreshSession())) return { type: "signedOut" };
  return whoAmI();
}

export async function signIn(username: string, password: string): Promise<Event> {
  const { data } = await client.mutate({ mutation: SignInDocument, variables: { username, password } });
  const outcome = data?.tokenAuth?.outcome;
  if (!outcome) throw new Error("tokenAuth answered no outcome");
  if (outcome.__typename === "LoginChallenge") {
    return { type: "challenged", challenge: outcome, now: Date.now(), passkeys: passkeysSupported() };
  }
  setAccessToken(outcome.token);
  return whoAmI();
}

export async function signUp(username: string, password: string): Promise<Event> {
  await client.mutate({ mutation: RegisterDocument, variables: { username, password } });
  return signIn(username, password);
}

export async function verify(challenge: string, code: string, method: Method): Promise<Event> {
  const { data } = await client.mutate({ mutation: VerifyCodeDocument, variables: { challenge, code, method } });
  const token = data?.verifyToken?.token;
  if (!token) throw new Error("verifyToken answered no token");
  setAccessToken(token);
  return whoAmI();
}

// The second step with a passkey: the browser signs the challenge's options.
export async function verifyPasskey(challenge: string, options: WebAuthnJSON): Promise<Event> {
  const credential = await getPasskey(options);
  const { data } = await client.mutate({ mutation: VerifyPasskeyDocument, variables: { challenge, credential } });
  const token = data?.verifyToken?.token;
  if (!token) throw new Error("verifyToken answered no token");
  setAccessToken(token);
  return whoAmI();
}

// Sign-in without a password: the browser offers this site's passkeys; the
// one picked says whose account it is.
export async function signInWithPasskey(): Promise<Event> {
  const { data: begun } = await client.mutate({ mutation: PasskeyLoginBeginDocument });
  const options = begun?.passkeyLoginBegin;
  if (!options) throw new Error("passkeyLoginBegin answered nothing");
  const credential = await getPasskey(options.options as WebAuthnJSON);
  const { data } = await client.mutate({
    mutation: PasskeyLoginCompleteDocument,
    variables: { handle: options.handle, credential },
  });
  const token = data?.passkeyLoginComplete?.token;
  if (!token) throw new Error("passkeyLoginComplete answered no token");
  setAccessToken(token);
  return whoAmI();
}

// Enrollment with a passkey instead of a phone: 2FA is on afterwards and the
// answer's token is 2FA-verified. recoveryCodesNeeded: the account has no
// recovery codes (the ready screen offers them).
export async function enrollPasskey(name: string): Promise<Event> {
  const { data: begun } = await client.mutate({ mutation: PasskeyRegistrationBeginDocument });
  const options = begun?.passkeyRegistrationBegin?.options;
  if (!options) throw new Error("passkeyRegistrationBegin answered nothing");
  const credential = await createPasskey(options as WebAuthnJSON);
  const { data } = await client.mutate({
    mutation: PasskeyRegistrationCompleteDocument,
    variables: { name, credential },
  });
  const done = data?.passkeyRegistrationComplete;
  if (!done?.token) throw new Error("passkeyRegistrationComplete answered no token");
  setAccessToken(done.token);
  return whoAmI({ recoveryCodesNeeded: done.recoveryCodesNeeded });
}

export async function resend(challenge: string, channel: Channel): Promise<Event> {
  const { data } = await client.mutate({ mutation: ResendCodeDocument, variables: { challenge, channel } });
  const sent = data?.resendCode;
  if (!sent) throw new Error("resendCode answered nothing");
  return { type: "codeResent", channel: sent.channel, expiresIn: sent.expiresIn, now: Date.now() };
}

export async function sendEnrollmentCode(phoneNumber: string): Promise<Event> {
  const { data } = await client.mutate({ mutation: VerifyPhoneDocument, variables: { phoneNumber } });
  const sent = data?.verifyPhone;
  if (!sent) throw new Error("verifyPhone answered nothing");
  // The number as typed: registerPhone must get the same (the answer's is masked).
  return { type: "enrollSent", phoneNumber, expiresIn: sent.expiresIn, now: Date.now() };
}

export async function confirmPhone(phoneNumber: string, code: string): Promise<Event> {
  const { data } = await client.mutate({ mutation: RegisterPhoneDocument, variables: { phoneNumber, code } });
  const token = data?.registerPhone?.token;
  if (!token) throw new Error("registerPhone answered no token");
  setAccessToken(token);
  return whoAmI();
}

export async function signOut(): Promise<Event> {
  try {
    // Ends the cookie's login on the server and clears the cookie.
    await client.mutate({ mutation: SignOutDocument, context: { noRefresh: true } });
  } finally {
    setAccessToken(null);
    await client.clearStore();
  }
  return { type: "signedOut" };
}
