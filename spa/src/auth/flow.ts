// The calls behind each step of the sign-in flow. Each returns the machine
// event that describes its outcome; App.tsx dispatches it. Errors are thrown
// as they come (errors.ts turns them into sentences).
import { client } from "../api";
import {
  MeDocument,
  RegisterDocument,
  RegisterPhoneDocument,
  ResendCodeDocument,
  SignInDocument,
  SignOutDocument,
  VerifyCodeDocument,
  VerifyPhoneDocument,
} from "../generated/graphql";
import type { Channel } from "../generated/schema";
import type { Event, Method } from "./machine";
import { refreshSession } from "./session";
import { setAccessToken } from "./tokens";

async function whoAmI(): Promise<Event> {
  const { data } = await client.query({ query: MeDocument, fetchPolicy: "network-only" });
  const me = data?.me;
  if (!me) return { type: "signedOut" };
  return { type: "authenticated", username: me.username, twoFactorEnabled: me.twoFactor.enabled };
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
  if (outcome.__typename === "LoginChallenge") return { type: "challenged", challenge: outcome, now: Date.now() };
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
