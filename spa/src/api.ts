// The Apollo Client every screen uses, and the three things it adds to a
// plain HttpLink:
//  - `X-Pollstr-Session: browser` on every request: the server keeps the
//    refresh token in an HttpOnly cookie instead of sending it in the body;
//  - the in-memory access token as `Authorization: Bearer` (tokens.ts);
//  - one refresh on UNAUTHENTICATED, then the operation once more (an access
//    token lives minutes; the refresh cookie, days). A second UNAUTHENTICATED,
//    or a failed refresh, reaches the screen, which signs the user out.
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { ErrorLink } from "@apollo/client/link/error";
import { from, switchMap } from "rxjs";

import { getAccessToken } from "./auth/tokens";
import { refreshSession } from "./auth/session";
import { requestLanguages } from "./i18n";

export const ENDPOINT = "/graphql";

// Asked of the server with every request. Browsers send Accept-Language on
// their own; the app says it explicitly so the answer's messages follow the
// same list as its own strings (i18n.ts).
function acceptLanguage(): string {
  return requestLanguages()
    .map((tag, index) => (index === 0 ? tag : `${tag};q=${Math.max(0.1, 1 - index / 10).toFixed(1)}`))
    .join(", ");
}

export function sessionHeaders(): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Pollstr-Session": "browser",
    "Accept-Language": acceptLanguage(),
  };
  const token = getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

const authLink = new SetContextLink((prevContext) => ({
  headers: { ...prevContext.headers, ...sessionHeaders() },
}));

const retryLink = new ErrorLink(({ error, operation, forward }) => {
  const context = operation.getContext();
  if (context.noRefresh || context.refreshed) return;
  if (!CombinedGraphQLErrors.is(error)) return;
  if (!error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED")) return;
  operation.setContext({ refreshed: true });
  return from(refreshSession()).pipe(
    switchMap((ok) => {
      if (!ok) throw error;
      operation.setContext({ headers: { ...operation.getContext().headers, ...sessionHeaders() } });
      return forward(operation);
    }),
  );
});

export const client = new ApolloClient({
  link: ApolloLink.from([
    retryLink,
    authLink,
    new HttpLink({
      uri: ENDPOINT,
      // The refresh cookie goes only to this origin's /graphql.
      credentials: "same-origin",
      // GraphQL over HTTP: errors keep their extensions.code whatever the status.
      headers: { Accept: "application/graphql-response+json, application/json;q=0.9" },
    }),
  ]),
  cache: new InMemoryCache(),
});
