// Every failure a screen can meet, turned into something to show a person:
// a sentence keyed on `extensions.code` (the schema's ErrorCode), and a
// details line with the code for whoever reports the problem. Answers that
// aren't GraphQL at all (a proxy's HTML 502) and requests that never reached
// the server get their own sentences rather than a parser's complaint.
import { CombinedGraphQLErrors, ServerError, ServerParseError } from "@apollo/client";

import type { ErrorCode } from "./generated/schema";
import { formatDuration } from "./format";
import { t, type Key } from "./i18n";
import { PasskeyCancelled, PasskeyUnsupported } from "./webauthn";

export interface Problem {
  // The schema's codes, and the app's own: no connection, an answer that
  // isn't GraphQL, a passkey prompt closed or a browser without passkeys.
  code: ErrorCode | "NETWORK" | "NOT_GRAPHQL" | "PASSKEY_CANCELLED" | "PASSKEY_UNSUPPORTED" | "UNKNOWN";
  message: string;
  details: string;
  attemptsLeft?: number;
  retryAfter?: number;
}

// The codes with a sentence of the app's own (i18n.ts `error…`); for the
// others the server's message, already in the user's language, is shown.
const KNOWN: readonly ErrorCode[] = [
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "TWO_FACTOR_REQUIRED",
  "INVALID_CODE",
  "PASSKEY_INVALID",
  "CODE_EXPIRED",
  "TOO_MANY_ATTEMPTS",
  "INVALID_PHONE",
  "INVALID_REFRESH_TOKEN",
  "NOT_FOUND",
  "PROVIDER_UNAVAILABLE",
  "INTERNAL_SERVER_ERROR",
];

function rateLimited(retryAfter: number | undefined): string {
  return retryAfter ? t("errorRateLimitedFor", { time: formatDuration(retryAfter) }) : t("errorRateLimited");
}

export function describe(error: unknown): Problem {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const extensions = (first?.extensions ?? {}) as { code?: ErrorCode; attemptsLeft?: number; retryAfter?: number };
    const code = extensions.code;
    const details = code ? `${code}` : "GraphQL error";
    if (code === "RATE_LIMITED") {
      return { code, message: rateLimited(extensions.retryAfter), details, retryAfter: extensions.retryAfter };
    }
    if (code === "BAD_USER_INPUT") {
      // The server's sentence says which input and why, in the user's language.
      return { code, message: first?.message ?? t("errorBadInput"), details };
    }
    const known = code && KNOWN.includes(code) ? t(`error${code}` as Key) : undefined;
    return {
      code: code ?? "UNKNOWN",
      message: known ?? first?.message ?? t("errorUnknown"),
      details,
      attemptsLeft: extensions.attemptsLeft,
    };
  }
  if (ServerParseError.is(error) || (ServerError.is(error) && !error.bodyText?.trim().startsWith("{"))) {
    const status = "statusCode" in error ? error.statusCode : undefined;
    return {
      code: "NOT_GRAPHQL",
      message: t("errorNotGraphQL"),
      details: `HTTP ${status ?? "?"}, not a GraphQL answer`,
    };
  }
  if (ServerError.is(error)) {
    return {
      code: "UNKNOWN",
      message: t("errorRefused"),
      details: `HTTP ${error.statusCode}`,
    };
  }
  if (error instanceof PasskeyCancelled) {
    return { code: "PASSKEY_CANCELLED", message: t("errorPasskeyCancelled"), details: error.message };
  }
  if (error instanceof PasskeyUnsupported) {
    return { code: "PASSKEY_UNSUPPORTED", message: t("errorPasskeyUnsupported"), details: error.message };
  }
  if (error instanceof TypeError) {
    return {
      code: "NETWORK",
      message: t("errorNetwork"),
      details: error.message,
    };
  }
  return {
    code: "UNKNOWN",
    message: t("errorUnknown"),
    details: error instanceof Error ? error.message : String(error),
  };
}
