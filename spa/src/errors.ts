// Every failure a screen can meet, turned into something to show a person:
// a sentence keyed on `extensions.code` (the schema's ErrorCode), and a
// details line with the code for whoever reports the problem. Answers that
// aren't GraphQL at all (a proxy's HTML 502) and requests that never reached
// the server get their own sentences rather than a parser's complaint.
import { CombinedGraphQLErrors, ServerError, ServerParseError } from "@apollo/client";

import type { ErrorCode } from "./generated/schema";
import { formatDuration } from "./format";

export interface Problem {
  code: ErrorCode | "NETWORK" | "NOT_GRAPHQL" | "UNKNOWN";
  message: string;
  details: string;
  attemptsLeft?: number;
  retryAfter?: number;
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: "Your session has ended. Please sign in again.",
  INVALID_CREDENTIALS: "That username and password don't match.",
  TWO_FACTOR_REQUIRED: "Voting needs a second factor: add your phone first.",
  INVALID_CODE: "That code isn't right.",
  CODE_EXPIRED: "That code has expired.",
  TOO_MANY_ATTEMPTS: "Too many wrong codes.",
  INVALID_PHONE: "That phone number can't receive codes. Check the country code.",
  INVALID_REFRESH_TOKEN: "Your session has ended. Please sign in again.",
  NOT_FOUND: "That no longer exists. Reload the page.",
  PROVIDER_UNAVAILABLE: "We couldn't send a code just now. Try again in a moment.",
  INTERNAL_SERVER_ERROR: "The server had a problem. Try again in a moment.",
};

function rateLimited(retryAfter: number | undefined): string {
  return retryAfter ? `Too many tries. Try again in ${formatDuration(retryAfter)}.` : "Too many tries. Wait a little.";
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
      return { code, message: first?.message ?? "Check what you entered.", details };
    }
    const known = code ? MESSAGES[code] : undefined;
    return {
      code: code ?? "UNKNOWN",
      message: known ?? first?.message ?? "Something went wrong.",
      details,
      attemptsLeft: extensions.attemptsLeft,
    };
  }
  if (ServerParseError.is(error) || (ServerError.is(error) && !error.bodyText?.trim().startsWith("{"))) {
    const status = "statusCode" in error ? error.statusCode : undefined;
    return {
      code: "NOT_GRAPHQL",
      message: "The server sent an answer this page can't read. Try again in a moment.",
      details: `HTTP ${status ?? "?"}, not a GraphQL answer`,
    };
  }
  if (ServerError.is(error)) {
    return {
      code: "UNKNOWN",
      message: "The server refused the request. Try again in a moment.",
      details: `HTTP ${error.statusCode}`,
    };
  }
  if (error instanceof TypeError) {
    return {
      code: "NETWORK",
      message: "Can't reach the server. Check your connection and try again.",
      details: error.message,
    };
  }
  return {
    code: "UNKNOWN",
    message: "Something went wrong.",
    details: error instanceof Error ? error.message : String(error),
  };
}
