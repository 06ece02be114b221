// How a typed client uses the generated types (generated/graphql.ts): tokenAuth's
// two outcomes narrowed on __typename, claims without decoding the JWT, error
// codes as a closed union. test_codegen.py type-checks it with `tsc --strict`.
import type {
  RefreshMutation,
  SignInMutation,
  TokenFieldsFragment,
  VerifyCodeMutation,
} from "../generated/operations";
import type { ErrorCode } from "../generated/schema";

// refreshToken is null in a browser session: the HttpOnly cookie holds it.
export type Session = { token: string; refreshToken: string | null; signedInUntil: Date };

export type NextStep =
  | { kind: "signedIn"; session: Session; secondFactor: boolean }
  | { kind: "enterCode"; challenge: string; message: string; canResendInSeconds: number | null };

function session(tokens: TokenFieldsFragment): Session {
  return {
    token: tokens.token,
    refreshToken: tokens.refreshToken,
    signedInUntil: new Date(tokens.refreshExpiresAt * 1000),
  };
}

export function afterSignIn(data: SignInMutation): NextStep | null {
  const outcome = data.tokenAuth?.outcome;
  if (!outcome) return null;
  switch (outcome.__typename) {
    case "AuthTokensPayload":
      return { kind: "signedIn", session: session(outcome), secondFactor: false };
    case "LoginChallenge":
      return {
        kind: "enterCode",
        challenge: outcome.challenge,
        message: outcome.message,
        canResendInSeconds: outcome.codeSent === false ? (outcome.retryAfter ?? 0) : null,
      };
    default: {
      // Every outcome is handled: a third one in the schema fails this line.
      const unhandled: never = outcome;
      return unhandled;
    }
  }
}

export function afterCode(data: VerifyCodeMutation): NextStep | null {
  const tokens = data.verifyToken;
  if (!tokens) return null;
  const secondFactor = tokens.claims.amr.some((method) => method !== "pwd");
  return { kind: "signedIn", session: session(tokens), secondFactor };
}

export function afterRefresh(data: RefreshMutation): Session | null {
  return data.refreshToken ? session(data.refreshToken) : null;
}

export function challengeOf(data: SignInMutation): string | null {
  const outcome = data.tokenAuth?.outcome;
  // @ts-expect-error `challenge` is only on a LoginChallenge: narrow first.
  return outcome?.challenge ?? null;
}

export function onError(code: ErrorCode): "refresh" | "signIn" | "retryLater" | "show" {
  switch (code) {
    case "UNAUTHENTICATED":
      return "refresh";
    case "INVALID_REFRESH_TOKEN":
    case "CODE_EXPIRED":
    case "TOO_MANY_ATTEMPTS":
      return "signIn";
    case "RATE_LIMITED":
    case "PROVIDER_UNAVAILABLE":
      return "retryLater";
    default:
      return "show";
  }
}

// @ts-expect-error a code the server never sends is not an ErrorCode.
export const misspelled: ErrorCode = "UNAUTHORIZED";
