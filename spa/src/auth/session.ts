// Browser sessions: the refresh token is in an HttpOnly cookie the server sets
// (header X-Pollstr-Session: browser); the page only ever holds the access
// token, in memory (tokens.ts). `refreshSession` trades the cookie for a new
// access token: on start-up (a reload keeps the login) and once after an
// UNAUTHENTICATED answer (api.ts). Concurrent callers share one request, since
// the server rotates the cookie and would take a second use as token reuse.
import { print } from "graphql";

import { RefreshSessionDocument, type RefreshSessionMutation } from "../generated/graphql";
import { setAccessToken } from "./tokens";

let pending: Promise<boolean> | null = null;

export function refreshSession(): Promise<boolean> {
  pending ??= (async () => {
    try {
      const response = await fetch("/graphql", {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/graphql-response+json, application/json;q=0.9",
          "X-Pollstr-Session": "browser",
        },
        body: JSON.stringify({ query: print(RefreshSessionDocument) }),
      });
      const body = (await response.json()) as { data?: RefreshSessionMutation | null };
      const token = body.data?.refreshToken?.token ?? null;
      setAccessToken(token);
      return token !== null;
    } catch {
      // No cookie, an expired or revoked one, or no server: signed out.
      setAccessToken(null);
      return false;
    } finally {
      pending = null;
    }
  })();
  return pending;
}
