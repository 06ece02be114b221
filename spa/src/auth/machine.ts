// The sign-in flow as a pure state machine: (state, event) -> state. Screens
// dispatch what happened (an answer, an error, the clock); this decides where
// the user is. No network and no React here, so every path, dead ends
// included, is unit-tested (test/machine.test.ts).
//
// Every state a user can get stuck in has a way out: an expired or locked
// challenge offers "start over" (startOver), an enrollment code can be sent
// again or sent to another number (changeNumber).
import type { ChallengeFragment } from "../generated/graphql";
import type { Channel, TwoFactorMethod } from "../generated/schema";
import type { Problem } from "../errors";
import type { WebAuthnJSON } from "../webauthn";

// The ways to answer a challenge this app knows. A method the server adds is
// offered once it is listed here, with a label in i18n.ts (`method…`,
// `codeLabel…`) and its panel in screens/Challenge.tsx; until then the
// switcher leaves it out, so a newer server never breaks the app.
export type Method = TwoFactorMethod;
export const SUPPORTED_METHODS: readonly Method[] = ["SMS", "CALL", "TOTP", "RECOVERY_CODE", "PASSKEY"];
const PHONE_METHODS: readonly Method[] = ["SMS", "CALL"];

export interface ChallengeState {
  step: "challenge";
  challenge: string;
  // The methods the server accepts now, and the one the user picked.
  methods: Method[];
  method: Method;
  phoneNumber: string | null;
  codeSent: boolean;
  // The server's sentence when it could not send the code (why, and what else to do).
  notSent: string | null;
  message: string;
  // The WebAuthn request options for the user's passkeys (null: none, or a
  // browser that can't use them): what PASSKEY answers with.
  passkeyOptions: WebAuthnJSON | null;
  expiresAt: number; // ms since the epoch
  resendAt: number; // ms since the epoch; <= now: a code can be sent
  attemptsLeft: number | null;
}

export interface EnrollState {
  step: "enroll";
  username: string;
  // null: asking for the number; set: a code went there.
  phoneNumber: string | null;
  expiresAt: number;
  resendAt: number;
}

export type State =
  | { step: "starting" }
  | { step: "signin"; mode: "signin" | "signup" }
  | ChallengeState
  | { step: "ended"; reason: "expired" | "locked" }
  | EnrollState
  // recoveryCodesNeeded: a passkey was just enrolled and the account has no
  // recovery codes (a lost passkey must not be a lost account).
  | { step: "ready"; username: string; recoveryCodesNeeded?: boolean };

export type Event =
  | { type: "restored"; username: string; twoFactorEnabled: boolean }
  | { type: "signedOut" }
  | { type: "modeChosen"; mode: "signin" | "signup" }
  // passkeys: whether this browser can use a passkey (webauthn.ts passkeysSupported).
  | { type: "challenged"; challenge: ChallengeFragment; now: number; passkeys?: boolean }
  | { type: "authenticated"; username: string; twoFactorEnabled: boolean; recoveryCodesNeeded?: boolean }
  | { type: "methodChosen"; method: Method }
  | { type: "codeResent"; channel: Channel; expiresIn: number; now: number }
  | { type: "failed"; problem: Problem; now: number }
  | { type: "tick"; now: number }
  | { type: "startOver" }
  | { type: "enrollSent"; phoneNumber: string; expiresIn: number; now: number }
  | { type: "changeNumber" }
  | { type: "twoFactorRequired"; username: string }
  // The user followed the recovery-codes reminder to the account page.
  | { type: "reminderFollowed" };

export const initialState: State = { step: "starting" };

// Whether the user has a phone this challenge can send a code to.
export function hasPhone(state: ChallengeState): boolean {
  return state.phoneNumber !== null || state.methods.some((m) => PHONE_METHODS.includes(m));
}

// What the method switcher offers: the server's methods, and the phone's
// channels whenever the challenge has a phone (a challenge whose code could
// not be sent lists only what answers without one).
export function methodOptions(state: ChallengeState): Method[] {
  const options = state.methods.filter(
    (m) => SUPPORTED_METHODS.includes(m) && (m !== "PASSKEY" || state.passkeyOptions !== null),
  );
  if (hasPhone(state)) for (const m of PHONE_METHODS) if (!options.includes(m)) options.push(m);
  return options;
}

// A phone method picked while no code went to the phone (the challenge began
// with the app, or its send was refused): a code has to be sent first.
export function needsSend(state: ChallengeState): boolean {
  return PHONE_METHODS.includes(state.method) && !state.codeSent;
}

// Whether "send a code" can be pressed now: after any wait the server set, and
// for an enrollment only once there is a number.
export function canResend(state: ChallengeState | EnrollState, now: number): boolean {
  if (state.step === "enroll" && state.phoneNumber === null) return false;
  return now >= state.resendAt;
}

function signedIn(username: string, twoFactorEnabled: boolean, recoveryCodesNeeded = false): State {
  return twoFactorEnabled
    ? recoveryCodesNeeded
      ? { step: "ready", username, recoveryCodesNeeded }
      : { step: "ready", username }
    : { step: "enroll", username, phoneNumber: null, expiresAt: 0, resendAt: 0 };
}

function fromChallenge(c: ChallengeFragment, now: number, passkeys: boolean): ChallengeState {
  const passkeyOptions = passkeys && c.passkeyOptions ? (c.passkeyOptions as WebAuthnJSON) : null;
  // PASSKEY is usable only with options and a browser that can use them.
  const usable = c.methods.filter((m) => SUPPORTED_METHODS.includes(m) && (m !== "PASSKEY" || passkeyOptions));
  const method = usable.includes(c.method) ? c.method : (usable[0] ?? "SMS");
  return {
    step: "challenge",
    challenge: c.challenge,
    methods: [...c.methods],
    method,
    phoneNumber: c.phoneNumber,
    codeSent: c.codeSent === true,
    notSent: c.codeSent === false ? c.message : null,
    message: c.message,
    passkeyOptions,
    expiresAt: now + c.expiresIn * 1000,
    // No wait known: a send can be asked for at once (the server may still say RATE_LIMITED).
    resendAt: c.retryAfter ? now + c.retryAfter * 1000 : 0,
    attemptsLeft: null,
  };
}

export function reduce(state: State, event: Event): State {
  switch (event.type) {
    case "restored":
      return signedIn(event.username, event.twoFactorEnabled);
    case "authenticated":
      return signedIn(event.username, event.twoFactorEnabled, event.recoveryCodesNeeded);
    case "signedOut":
    case "startOver":
      return { step: "signin", mode: "signin" };
    case "modeChosen":
      return state.step === "signin" ? { ...state, mode: event.mode } : state;
    case "challenged":
      return fromChallenge(event.challenge, event.now, event.passkeys ?? false);
    case "twoFactorRequired":
      return signedIn(event.username, false);
    case "reminderFollowed":
      return state.step === "ready" ? { step: "ready", username: state.username } : state;
    case "changeNumber":
      return state.step === "enroll" ? { ...state, phoneNumber: null, expiresAt: 0, resendAt: 0 } : state;
    case "enrollSent":
      if (state.step !== "enroll") return state;
      return {
        ...state,
        phoneNumber: event.phoneNumber,
        expiresAt: event.now + event.expiresIn * 1000,
        resendAt: 0,
      };
    case "methodChosen":
      if (state.step !== "challenge" || !methodOptions(state).includes(event.method)) return state;
      return { ...state, method: event.method };
    case "codeResent": {
      if (state.step !== "challenge") return state;
      const method: Method = event.channel;
      const methods = state.methods.includes(method) ? state.methods : [...state.methods, method];
      return {
        ...state,
        method,
        methods,
        codeSent: true,
        notSent: null,
        expiresAt: event.now + event.expiresIn * 1000,
        attemptsLeft: state.attemptsLeft,
      };
    }
    case "tick":
      if (state.step === "challenge" && event.now >= state.expiresAt) return { step: "ended", reason: "expired" };
      return state;
    case "failed":
      return failed(state, event.problem, event.now);
  }
}

function failed(state: State, problem: Problem, now: number): State {
  if (state.step === "challenge") {
    switch (problem.code) {
      case "CODE_EXPIRED":
        return { step: "ended", reason: "expired" };
      case "TOO_MANY_ATTEMPTS":
        return { step: "ended", reason: "locked" };
      case "INVALID_CODE":
      case "PASSKEY_INVALID":
        // The last attempt spent: the server locks the challenge (TOO_MANY_ATTEMPTS next).
        if (problem.attemptsLeft === 0) return { step: "ended", reason: "locked" };
        return { ...state, attemptsLeft: problem.attemptsLeft ?? state.attemptsLeft };
      case "RATE_LIMITED":
        return problem.retryAfter ? { ...state, resendAt: now + problem.retryAfter * 1000 } : state;
      default:
        return state;
    }
  }
  if (state.step === "enroll") {
    if (problem.code === "RATE_LIMITED" && problem.retryAfter) {
      return { ...state, resendAt: now + problem.retryAfter * 1000 };
    }
    if (problem.code === "CODE_EXPIRED" || problem.code === "TOO_MANY_ATTEMPTS") {
      // The code is spent; the number stays, and "send me a new code" is offered now.
      return { ...state, expiresAt: now, resendAt: Math.min(state.resendAt, now) };
    }
  }
  if (problem.code === "UNAUTHENTICATED" || problem.code === "INVALID_REFRESH_TOKEN") {
    return state.step === "ready" || state.step === "enroll" ? { step: "signin", mode: "signin" } : state;
  }
  return state;
}
