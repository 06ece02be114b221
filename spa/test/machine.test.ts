// The sign-in state machine (src/auth/machine.ts): every way in and out of
// each step, the dead ends included, without a server or a browser.
import { describe, expect, it } from "vitest";

import { canResend, methodOptions, needsSend, reduce, type ChallengeState, type State } from "../src/auth/machine";
import type { Problem } from "../src/errors";
import { formatDuration } from "../src/format";
import type { ChallengeFragment } from "../src/generated/graphql";
import { pickLanguage } from "../src/i18n";

const NOW = 1_700_000_000_000;

function challenge(overrides: Partial<ChallengeFragment> = {}): ChallengeFragment {
  return {
    challenge: "c1",
    method: "SMS",
    methods: ["SMS", "CALL", "RECOVERY_CODE"],
    channel: "SMS",
    phoneNumber: "+1******2671",
    codeSent: true,
    codeNotSentReason: null,
    retryAfter: null,
    expiresIn: 300,
    message: "We sent a code to +1******2671.",
    passkeyOptions: null,
    ...overrides,
  };
}

function challenged(overrides: Partial<ChallengeFragment> = {}, passkeys = false): ChallengeState {
  const state = reduce(
    { step: "signin", mode: "signin" },
    { type: "challenged", challenge: challenge(overrides), now: NOW, passkeys },
  );
  if (state.step !== "challenge") throw new Error(state.step);
  return state;
}

const problem = (code: Problem["code"], extra: Partial<Problem> = {}): Problem => ({
  code,
  message: "m",
  details: code,
  ...extra,
});

describe("start-up and sign-in", () => {
  it("a restored session with 2FA goes to the polls, without it to enrollment", () => {
    expect(reduce({ step: "starting" }, { type: "restored", username: "ann", twoFactorEnabled: true })).toEqual({
      step: "ready",
      username: "ann",
    });
    expect(reduce({ step: "starting" }, { type: "restored", username: "ann", twoFactorEnabled: false })).toMatchObject({
      step: "enroll",
      phoneNumber: null,
    });
    expect(reduce({ step: "starting" }, { type: "signedOut" })).toEqual({ step: "signin", mode: "signin" });
  });

  it("switches between sign-in and sign-up", () => {
    expect(reduce({ step: "signin", mode: "signin" }, { type: "modeChosen", mode: "signup" })).toEqual({
      step: "signin",
      mode: "signup",
    });
  });

  it("a challenge starts with its method and deadlines from expiresIn and retryAfter", () => {
    const state = challenged({ retryAfter: 45 });
    expect(state).toMatchObject({ method: "SMS", expiresAt: NOW + 300_000, resendAt: NOW + 45_000 });
    expect(canResend(state, NOW)).toBe(false);
    expect(canResend(state, NOW + 45_000)).toBe(true);
  });

  it("a challenge whose method can't answer (no code sent) starts on one that can", () => {
    const state = challenged({ codeSent: false, methods: ["RECOVERY_CODE"], retryAfter: 2417 });
    expect(state.method).toBe("RECOVERY_CODE");
    expect(methodOptions(state)).toEqual(["RECOVERY_CODE", "SMS", "CALL"]);
  });
});

describe("the method switcher", () => {
  it("sends the picked method; a recovery code is one", () => {
    const state = reduce(challenged(), { type: "methodChosen", method: "RECOVERY_CODE" });
    expect(state).toMatchObject({ step: "challenge", method: "RECOVERY_CODE" });
  });

  it("from the app, a phone method needs a send first, then is accepted", () => {
    let state: State = challenged({
      method: "TOTP",
      methods: ["SMS", "CALL", "TOTP", "RECOVERY_CODE"],
      channel: null,
      phoneNumber: null,
      codeSent: null,
    });
    state = reduce(state, { type: "methodChosen", method: "SMS" });
    expect(state.step === "challenge" && needsSend(state)).toBe(true);
    state = reduce(state, { type: "codeResent", channel: "SMS", expiresIn: 200, now: NOW + 1000 });
    expect(state).toMatchObject({ method: "SMS", codeSent: true, expiresAt: NOW + 201_000 });
    expect(state.step === "challenge" && needsSend(state)).toBe(false);
  });

  it("leaves out a method the app doesn't know yet (a newer server)", () => {
    const state = challenged({ method: "EMAIL" as never, methods: ["EMAIL" as never, "TOTP"], phoneNumber: null });
    expect(state.method).toBe("TOTP");
    expect(methodOptions(state)).toEqual(["TOTP"]);
  });

  it("refuses a method the challenge doesn't offer", () => {
    const state = challenged({ phoneNumber: null, methods: ["TOTP"], method: "TOTP", codeSent: null });
    expect(reduce(state, { type: "methodChosen", method: "SMS" })).toBe(state);
  });
});

describe("passkeys", () => {
  const OPTIONS = { challenge: "abc", rpId: "localhost", allowCredentials: [{ id: "k1", type: "public-key" }] };

  it("a passkey user's challenge starts on PASSKEY with its options, the code methods beside it", () => {
    const state = challenged(
      { method: "PASSKEY", methods: ["PASSKEY", "TOTP", "RECOVERY_CODE"], phoneNumber: null, codeSent: null, passkeyOptions: OPTIONS },
      true,
    );
    expect(state).toMatchObject({ method: "PASSKEY", passkeyOptions: OPTIONS });
    expect(methodOptions(state)).toEqual(["PASSKEY", "TOTP", "RECOVERY_CODE"]);
    expect(needsSend(state)).toBe(false);
  });

  it("a browser without passkeys, or a challenge without options, is never offered PASSKEY", () => {
    const fields = { method: "PASSKEY" as const, methods: ["PASSKEY" as const, "TOTP" as const], phoneNumber: null, codeSent: null };
    const noBrowser = challenged({ ...fields, passkeyOptions: OPTIONS }, false);
    expect(noBrowser.method).toBe("TOTP");
    expect(methodOptions(noBrowser)).toEqual(["TOTP"]);
    expect(reduce(noBrowser, { type: "methodChosen", method: "PASSKEY" })).toBe(noBrowser);
    const noOptions = challenged({ ...fields, passkeyOptions: null }, true);
    expect(methodOptions(noOptions)).toEqual(["TOTP"]);
  });

  it("a passkey that can't be verified spends an attempt like a wrong code; the last locks", () => {
    const state = challenged({ methods: ["SMS", "PASSKEY"], passkeyOptions: OPTIONS }, true);
    const picked = reduce(state, { type: "methodChosen", method: "PASSKEY" });
    const once = reduce(picked, { type: "failed", problem: problem("PASSKEY_INVALID", { attemptsLeft: 3 }), now: NOW });
    expect(once).toMatchObject({ step: "challenge", method: "PASSKEY", attemptsLeft: 3 });
    const last = reduce(once, { type: "failed", problem: problem("PASSKEY_INVALID", { attemptsLeft: 0 }), now: NOW });
    expect(last).toEqual({ step: "ended", reason: "locked" });
  });

  it("a closed passkey prompt changes nothing", () => {
    const state = challenged({ methods: ["PASSKEY"], method: "PASSKEY", passkeyOptions: OPTIONS }, true);
    expect(reduce(state, { type: "failed", problem: problem("PASSKEY_CANCELLED"), now: NOW })).toBe(state);
  });

  it("a passkey enrolled without recovery codes reaches the polls with the reminder", () => {
    const enrolling = reduce({ step: "starting" }, { type: "restored", username: "ann", twoFactorEnabled: false });
    expect(
      reduce(enrolling, { type: "authenticated", username: "ann", twoFactorEnabled: true, recoveryCodesNeeded: true }),
    ).toEqual({ step: "ready", username: "ann", recoveryCodesNeeded: true });
    expect(reduce(enrolling, { type: "authenticated", username: "ann", twoFactorEnabled: true })).toEqual({
      step: "ready",
      username: "ann",
    });
  });

  it("the reminder goes once the user follows it to the account page", () => {
    const reminded: State = { step: "ready", username: "ann", recoveryCodesNeeded: true };
    expect(reduce(reminded, { type: "reminderFollowed" })).toEqual({ step: "ready", username: "ann" });
    const signin: State = { step: "signin", mode: "signin" };
    expect(reduce(signin, { type: "reminderFollowed" })).toBe(signin);
  });
});

describe("dead ends have a way out", () => {
  it("a wrong code keeps the challenge and counts attempts; the last one locks it", () => {
    const state = reduce(challenged(), { type: "failed", problem: problem("INVALID_CODE", { attemptsLeft: 4 }), now: NOW });
    expect(state).toMatchObject({ step: "challenge", attemptsLeft: 4 });
    const last = reduce(state, { type: "failed", problem: problem("INVALID_CODE", { attemptsLeft: 0 }), now: NOW });
    expect(last).toEqual({ step: "ended", reason: "locked" });
  });

  it("an expired code, too many attempts or the clock end the challenge; start over signs in again", () => {
    expect(reduce(challenged(), { type: "failed", problem: problem("CODE_EXPIRED"), now: NOW })).toEqual({
      step: "ended",
      reason: "expired",
    });
    const locked = reduce(challenged(), { type: "failed", problem: problem("TOO_MANY_ATTEMPTS"), now: NOW });
    expect(locked).toEqual({ step: "ended", reason: "locked" });
    expect(reduce(challenged(), { type: "tick", now: NOW + 299_000 }).step).toBe("challenge");
    expect(reduce(challenged(), { type: "tick", now: NOW + 300_000 })).toEqual({ step: "ended", reason: "expired" });
    expect(reduce(locked, { type: "startOver" })).toEqual({ step: "signin", mode: "signin" });
  });

  it("a rate-limited resend waits retryAfter", () => {
    const state = reduce(challenged(), { type: "failed", problem: problem("RATE_LIMITED", { retryAfter: 90 }), now: NOW });
    expect(state).toMatchObject({ resendAt: NOW + 90_000 });
  });

  it("an ended session goes back to sign-in; other errors keep the step", () => {
    const ready: State = { step: "ready", username: "ann" };
    expect(reduce(ready, { type: "failed", problem: problem("UNAUTHENTICATED"), now: NOW })).toEqual({
      step: "signin",
      mode: "signin",
    });
    expect(reduce(ready, { type: "failed", problem: problem("NETWORK"), now: NOW })).toBe(ready);
    expect(reduce(ready, { type: "twoFactorRequired", username: "ann" })).toMatchObject({ step: "enroll" });
  });
});

describe("phone enrollment", () => {
  const asking: State = { step: "enroll", username: "ann", phoneNumber: null, expiresAt: 0, resendAt: 0 };

  it("a sent code, a resend after a limit, a changed number", () => {
    let state = reduce(asking, { type: "enrollSent", phoneNumber: "+14155552671", expiresIn: 600, now: NOW });
    expect(state).toMatchObject({ phoneNumber: "+14155552671", expiresAt: NOW + 600_000 });
    state = reduce(state, { type: "failed", problem: problem("RATE_LIMITED", { retryAfter: 60 }), now: NOW });
    expect(state.step === "enroll" && canResend(state, NOW + 59_000)).toBe(false);
    expect(state.step === "enroll" && canResend(state, NOW + 60_000)).toBe(true);
    expect(reduce(state, { type: "changeNumber" })).toEqual(asking);
  });

  it("an expired enrollment code offers a new one at once", () => {
    let state = reduce(asking, { type: "enrollSent", phoneNumber: "+14155552671", expiresIn: 600, now: NOW });
    state = reduce(state, { type: "failed", problem: problem("CODE_EXPIRED"), now: NOW + 1000 });
    expect(state.step === "enroll" && canResend(state, NOW + 1000)).toBe(true);
  });
});

describe("formats and languages", () => {
  it("shows waits in minutes and seconds", () => {
    expect(formatDuration(2593)).toBe("43 min 13 s");
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(60)).toBe("1 min 00 s");
    expect(formatDuration(7200)).toBe("2 h 00 min");
    expect(formatDuration(-3)).toBe("0 s");
  });

  it("picks the first of the browser's languages it has, else English", () => {
    expect(pickLanguage(["fr-CA", "en-GB"])).toBe("en");
    expect(pickLanguage(["fr-CA", "de-AT", "en"])).toBe("de");
    expect(pickLanguage([])).toBe("en");
  });
});
