// Apollo Client (current major) against a live Pollstr server.
//
// Run by tests/clients/test_clients.py, which starts the server and passes:
//   GRAPHQL_URL   http://127.0.0.1:PORT/graphql
//   OUTBOX        the console provider's outbox file (where codes "arrive")
//   ACCESS_TOKEN_SECONDS  the server's (short) access token lifetime
//
// The client is set up the way the README tells front-end teams to: an auth
// link with the Bearer token, an error link that reads `extensions.code` and
// refreshes the token on UNAUTHENTICATED, and Apollo's persisted-query link.
// A last test sends one request of each error class and checks that Apollo
// hands every one over as CombinedGraphQLErrors with its `extensions.code`.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";

import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  gql,
} from "@apollo/client";
import { ErrorLink } from "@apollo/client/link/error";
import { relayStylePagination } from "@apollo/client/utilities";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { from, switchMap } from "rxjs";

import { SoftAuthenticator } from "./authenticator.mjs";
import { totp } from "./totp.mjs";

const GRAPHQL_URL = process.env.GRAPHQL_URL;
const OUTBOX = process.env.OUTBOX;
const ACCESS_TOKEN_SECONDS = Number(process.env.ACCESS_TOKEN_SECONDS || "0");
// The origin the software authenticator signs for (one of WEBAUTHN_ALLOWED_ORIGINS).
const WEBAUTHN_ORIGIN = process.env.WEBAUTHN_ORIGIN || "http://localhost:8000";
assert.ok(GRAPHQL_URL && OUTBOX, "GRAPHQL_URL and OUTBOX must be set");

const PHONE = "+14155552671";
const USERNAME = `apollo_${process.pid}`;
const PASSWORD = "a-long-apollo-pass-phrase";

// --- What went over the wire, and what the error link saw ---------------------------

const sent = []; // request bodies, in order
const seenCodes = []; // every extensions.code the error link saw
let refreshes = 0;

async function recordingFetch(url, init) {
  sent.push(JSON.parse(init.body));
  return fetch(url, init);
}

// --- The client, as the README sets it up -------------------------------------------

const session = { token: null, refreshToken: null };

const REFRESH = gql`
  mutation Refresh($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) { token refreshToken payload }
  }
`;

// A bare client for the refresh call itself (no auth, no error link: no loops).
const refreshClient = new ApolloClient({
  link: new HttpLink({ uri: GRAPHQL_URL }),
  cache: new InMemoryCache(),
});

async function refresh() {
  refreshes += 1;
  const { data } = await refreshClient.mutate({
    mutation: REFRESH,
    variables: { refreshToken: session.refreshToken },
  });
  session.token = data.refreshToken.token;
  session.refreshToken = data.refreshToken.refreshToken;
}

const authLink = new ApolloLink((operation, forward) => {
  operation.setContext(({ headers = {} }) => ({
    headers: session.token ? { ...headers, authorization: `Bearer ${session.token}` } : headers,
  }));
  return forward(operation);
});

const errorLink = new ErrorLink(({ error, operation, forward }) => {
  if (!CombinedGraphQLErrors.is(error)) return;
  const codes = error.errors.map((e) => e.extensions?.code);
  seenCodes.push(...codes);
  if (codes.includes("UNAUTHENTICATED") && session.refreshToken && !operation.getContext().retried) {
    operation.setContext({ retried: true });
    return from(refresh()).pipe(switchMap(() => forward(operation)));
  }
});

const persistedQueries = new PersistedQueryLink({
  sha256: (query) => createHash("sha256").update(query).digest("hex"),
});

const client = new ApolloClient({
  link: ApolloLink.from([
    errorLink,
    authLink,
    persistedQueries,
    new HttpLink({ uri: GRAPHQL_URL, fetch: recordingFetch }),
  ]),
  cache: new InMemoryCache(),
  defaultOptions: { query: { fetchPolicy: "no-cache" } },
});

// --- Operations ---------------------------------------------------------------------

const REGISTER = gql`
  mutation Register($username: String!, $password: String!) {
    register(username: $username, password: $password) { user { username twoFactor { enabled } } }
  }
`;
const TOKEN_AUTH = gql`
  mutation TokenAuth($username: String!, $password: String!) {
    tokenAuth(username: $username, password: $password) {
      outcome {
        __typename
        ... on AuthTokensPayload { token refreshToken claims { amr } }
        ... on LoginChallenge { challenge phoneNumber }
      }
    }
  }
`;
const VERIFY_PHONE = gql`
  mutation VerifyPhone($phoneNumber: String!) {
    verifyPhone(phoneNumber: $phoneNumber) { sent phoneNumber }
  }
`;
const REGISTER_PHONE = gql`
  mutation RegisterPhone($phoneNumber: String!, $code: String!) {
    registerPhone(phoneNumber: $phoneNumber, code: $code) { token refreshToken payload }
  }
`;
const VERIFY_TOKEN = gql`
  mutation VerifyToken($challenge: String!, $code: String!) {
    verifyToken(challenge: $challenge, code: $code) { token refreshToken payload }
  }
`;
const POLLS = gql`
  query Polls { polls { id question totalVotes choices { id text votes } } }
`;
const VOTE = gql`
  mutation Vote($choiceId: ID!) {
    vote(choiceId: $choiceId) { poll { id totalVotes myVote { id text } choices { id text votes } } }
  }
`;
const ME = gql`
  query Me { me { username twoFactor { enabled phoneNumber } } }
`;
const SETUP_TOTP = gql`
  mutation SetupTotp { setupTotp { secret otpauthUri } }
`;
const CONFIRM_TOTP = gql`
  mutation ConfirmTotp($code: String!) {
    confirmTotp(code: $code) { token refreshToken payload user { twoFactor { methods preferredMethod } } }
  }
`;
const TOKEN_AUTH_METHODS = gql`
  mutation TokenAuthMethods($username: String!, $password: String!) {
    tokenAuth(username: $username, password: $password) {
      outcome { __typename ... on LoginChallenge { challenge method methods message } }
    }
  }
`;

const PASSKEY_REGISTRATION_BEGIN = gql`
  mutation PasskeyRegistrationBegin { passkeyRegistrationBegin { options } }
`;
const PASSKEY_REGISTRATION_COMPLETE = gql`
  mutation PasskeyRegistrationComplete($name: String!, $credential: WebAuthnJSON!) {
    passkeyRegistrationComplete(name: $name, credential: $credential) {
      token refreshToken recoveryCodesNeeded
      claims { amr }
      passkey { id name }
      user { twoFactor { methods preferredMethod } }
    }
  }
`;
const TOKEN_AUTH_OUTCOME = gql`
  mutation TokenAuthOutcome($username: String!, $password: String!) {
    tokenAuth(username: $username, password: $password) {
      outcome {
        __typename
        ... on LoginChallenge { challenge method methods passkeyOptions }
      }
    }
  }
`;
const VERIFY_PASSKEY = gql`
  mutation VerifyPasskey($challenge: String!, $credential: WebAuthnJSON!) {
    verifyToken(challenge: $challenge, credential: $credential) { token refreshToken claims { amr } }
  }
`;
const PASSKEY_LOGIN_BEGIN = gql`
  mutation PasskeyLoginBegin { passkeyLoginBegin { handle options } }
`;
const PASSKEY_LOGIN_COMPLETE = gql`
  mutation PasskeyLoginComplete($handle: String!, $credential: WebAuthnJSON!) {
    passkeyLoginComplete(handle: $handle, credential: $credential) { token refreshToken claims { amr } }
  }
`;
const MY_PASSKEYS = gql`
  query MyPasskeys { me { twoFactor { passkeys { id name lastUsedAt } } } }
`;

function lastCode(to) {
  const lines = readFileSync(OUTBOX, "utf8").trim().split("\n").filter(Boolean);
  const messages = lines.map((line) => JSON.parse(line)).filter((m) => m.to === to);
  assert.ok(messages.length, `no code was sent to ${to}`);
  return messages.at(-1).code;
}

function wrong(code) {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

async function rejection(promise, what = "the operation") {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail(`expected ${what} to fail`);
}

// --- The flow -----------------------------------------------------------------------

test("the whole 2FA flow through Apollo Client", async () => {
  // Sign up, then sign in with the password: no 2FA yet, tokens come straight back.
  const registered = await client.mutate({
    mutation: REGISTER,
    variables: { username: USERNAME, password: PASSWORD },
  });
  assert.deepEqual(registered.data.register.user, {
    __typename: "User",
    username: USERNAME,
    twoFactor: { __typename: "TwoFactorStatus", enabled: false },
  });
  const login = (await client.mutate({ mutation: TOKEN_AUTH, variables: { username: USERNAME, password: PASSWORD } }))
    .data.tokenAuth.outcome;
  assert.equal(login.__typename, "AuthTokensPayload");
  assert.deepEqual(login.claims.amr, ["pwd"]);
  Object.assign(session, { token: login.token, refreshToken: login.refreshToken });

  // A password-only token can't vote: the error link sees TWO_FACTOR_REQUIRED.
  const polls = (await client.query({ query: POLLS })).data.polls;
  const poll = polls.find((p) => p.question === "Which second factor do you trust most?");
  assert.ok(poll, "the demo poll is there");
  const [first, second] = poll.choices;
  const refused = await rejection(client.mutate({ mutation: VOTE, variables: { choiceId: first.id } }));
  assert.ok(CombinedGraphQLErrors.is(refused));
  assert.equal(refused.errors[0].extensions.code, "TWO_FACTOR_REQUIRED");
  assert.ok(seenCodes.includes("TWO_FACTOR_REQUIRED"));

  // Enroll a phone.
  const sentTo = (await client.mutate({ mutation: VERIFY_PHONE, variables: { phoneNumber: PHONE } })).data
    .verifyPhone;
  assert.deepEqual(sentTo, { __typename: "VerifyPhonePayload", sent: true, phoneNumber: "+1******2671" });
  const enrolled = (
    await client.mutate({ mutation: REGISTER_PHONE, variables: { phoneNumber: PHONE, code: lastCode(PHONE) } })
  ).data.registerPhone;
  assert.deepEqual(enrolled.payload.amr, ["pwd", "sms"]);
  Object.assign(session, { token: enrolled.token, refreshToken: enrolled.refreshToken });

  // Now the vote counts.
  const voted = (await client.mutate({ mutation: VOTE, variables: { choiceId: first.id } })).data.vote.poll;
  assert.equal(voted.myVote.id, first.id);
  assert.equal(voted.totalVotes, poll.totalVotes + 1);

  // Sign in again: a code is needed. A wrong one: INVALID_CODE with attemptsLeft.
  Object.assign(session, { token: null, refreshToken: null });
  const challenged = (
    await client.mutate({ mutation: TOKEN_AUTH, variables: { username: USERNAME, password: PASSWORD } })
  ).data.tokenAuth.outcome;
  assert.equal(challenged.__typename, "LoginChallenge");
  assert.equal(challenged.phoneNumber, "+1******2671");
  const code = lastCode(PHONE);
  const wrongCode = await rejection(
    client.mutate({ mutation: VERIFY_TOKEN, variables: { challenge: challenged.challenge, code: wrong(code) } }),
  );
  assert.equal(wrongCode.errors[0].extensions.code, "INVALID_CODE");
  assert.equal(wrongCode.errors[0].extensions.attemptsLeft, 4);
  assert.ok(seenCodes.includes("INVALID_CODE"));
  const verified = (
    await client.mutate({ mutation: VERIFY_TOKEN, variables: { challenge: challenged.challenge, code } })
  ).data.verifyToken;
  assert.deepEqual(verified.payload.amr, ["pwd", "sms"]);
  Object.assign(session, { token: verified.token, refreshToken: verified.refreshToken });

  // Move the vote: still one voter.
  const moved = (await client.mutate({ mutation: VOTE, variables: { choiceId: second.id } })).data.vote.poll;
  assert.equal(moved.myVote.id, second.id);
  assert.equal(moved.totalVotes, poll.totalVotes + 1);
});

test("an expired access token is refreshed by the error link, and the query retried", async () => {
  assert.ok(session.refreshToken, "the flow above signed in");
  assert.ok(ACCESS_TOKEN_SECONDS > 0 && ACCESS_TOKEN_SECONDS <= 5, "the server uses short access tokens");
  const before = refreshes;
  const oldRefreshToken = session.refreshToken;
  await sleep((ACCESS_TOKEN_SECONDS + 1.5) * 1000);

  const me = (await client.query({ query: ME })).data.me;

  assert.equal(me.username, USERNAME);
  assert.deepEqual(me.twoFactor, { __typename: "TwoFactorStatus", enabled: true, phoneNumber: "+1******2671" });
  assert.equal(refreshes, before + 1);
  assert.notEqual(session.refreshToken, oldRefreshToken, "the refresh token rotated");
  assert.ok(seenCodes.includes("UNAUTHENTICATED"));
});

test("persisted queries: hash first, the full query once, then the hash alone", () => {
  const polls = sent.filter((body) => body.operationName === "Polls");
  assert.ok(polls.length >= 1);
  // The first request of an operation the server has never seen: the hash alone,
  // answered PersistedQueryNotFound, then the retry with the query.
  const first = sent.filter((body) => body.operationName === "Register");
  assert.equal(first.length, 2);
  assert.equal(first[0].query, undefined);
  assert.equal(first[0].extensions.persistedQuery.version, 1);
  assert.equal(first[1].query.includes("register("), true);
  assert.equal(
    first[1].extensions.persistedQuery.sha256Hash,
    createHash("sha256").update(first[1].query).digest("hex"),
  );
  // TokenAuth ran several times: after the first, the hash alone was enough.
  // (runs before the app-based login below, which adds more.)
  const logins = sent.filter((body) => body.operationName === "TokenAuth");
  assert.deepEqual(
    logins.map((body) => body.query === undefined),
    [true, false, true],
  );
});

test("an authenticator-app login: setupTotp, confirmTotp, then tokenAuth sends nothing", async () => {
  const outboxLines = () => readFileSync(OUTBOX, "utf8").trim().split("\n").length;
  const setup = (await client.mutate({ mutation: SETUP_TOTP })).data.setupTotp;
  assert.match(setup.otpauthUri, /^otpauth:\/\/totp\//);
  const confirmed = (await client.mutate({ mutation: CONFIRM_TOTP, variables: { code: totp(setup.secret) } })).data
    .confirmTotp;
  assert.deepEqual(confirmed.payload.amr, ["pwd", "otp"]);
  assert.deepEqual(confirmed.user.twoFactor.methods, ["SMS", "CALL", "TOTP"]);
  assert.equal(confirmed.user.twoFactor.preferredMethod, "TOTP");

  Object.assign(session, { token: null, refreshToken: null });
  const sentBefore = outboxLines();
  const started = (
    await client.mutate({ mutation: TOKEN_AUTH_METHODS, variables: { username: USERNAME, password: PASSWORD } })
  ).data.tokenAuth.outcome;
  assert.equal(started.__typename, "LoginChallenge");
  assert.equal(started.method, "TOTP");
  assert.deepEqual(started.methods, ["SMS", "CALL", "TOTP"]);
  assert.equal(outboxLines(), sentBefore, "no SMS was sent");

  // The current step's code was spent on confirmation; the app's next code is
  // already accepted (one step of tolerance).
  const verified = (
    await client.mutate({ mutation: VERIFY_TOKEN, variables: { challenge: started.challenge, code: totp(setup.secret, 1) } })
  ).data.verifyToken;
  assert.deepEqual(verified.payload.amr, ["pwd", "otp"]);
  Object.assign(session, { token: verified.token, refreshToken: verified.refreshToken });
});

test("a passkey: registered, then the second factor, then a sign-in without a password", async () => {
  assert.ok(session.token, "the app login above signed in");
  const authenticator = new SoftAuthenticator({ origin: WEBAUTHN_ORIGIN });

  // Register: the browser would call navigator.credentials.create() with these options.
  const { options } = (await client.mutate({ mutation: PASSKEY_REGISTRATION_BEGIN })).data.passkeyRegistrationBegin;
  assert.equal(options.authenticatorSelection.userVerification, "required");
  const registered = (
    await client.mutate({
      mutation: PASSKEY_REGISTRATION_COMPLETE,
      variables: { name: "Node key", credential: authenticator.create(options) },
    })
  ).data.passkeyRegistrationComplete;
  assert.deepEqual(registered.claims.amr, ["pwd", "hwk", "user", "mfa"]);
  assert.deepEqual(registered.user.twoFactor.methods, ["SMS", "CALL", "TOTP", "PASSKEY"]);
  assert.equal(registered.user.twoFactor.preferredMethod, "PASSKEY");
  assert.equal(registered.recoveryCodesNeeded, true);

  // Password, then the passkey: tokenAuth carries the request options.
  Object.assign(session, { token: null, refreshToken: null });
  const outcome = (
    await client.mutate({ mutation: TOKEN_AUTH_OUTCOME, variables: { username: USERNAME, password: PASSWORD } })
  ).data.tokenAuth.outcome;
  assert.equal(outcome.__typename, "LoginChallenge");
  assert.equal(outcome.method, "PASSKEY");
  assert.deepEqual(
    outcome.passkeyOptions.allowCredentials.map((c) => c.id),
    [authenticator.id],
  );
  const verified = (
    await client.mutate({
      mutation: VERIFY_PASSKEY,
      variables: { challenge: outcome.challenge, credential: authenticator.get(outcome.passkeyOptions) },
    })
  ).data.verifyToken;
  assert.deepEqual(verified.claims.amr, ["pwd", "hwk", "user", "mfa"]);

  // No password at all: the browser offers its passkeys for the site.
  const begun = (await client.mutate({ mutation: PASSKEY_LOGIN_BEGIN })).data.passkeyLoginBegin;
  assert.deepEqual(begun.options.allowCredentials, []);
  const assertion = authenticator.get(begun.options);
  const signedIn = (
    await client.mutate({ mutation: PASSKEY_LOGIN_COMPLETE, variables: { handle: begun.handle, credential: assertion } })
  ).data.passkeyLoginComplete;
  assert.deepEqual(signedIn.claims.amr, ["hwk", "user", "mfa"]);
  Object.assign(session, { token: signedIn.token, refreshToken: signedIn.refreshToken });
  const [passkey] = (await client.query({ query: MY_PASSKEYS })).data.me.twoFactor.passkeys;
  assert.equal(passkey.name, "Node key");
  assert.ok(passkey.lastUsedAt);

  // The handle worked once; an assertion for it on another handle fails.
  const replayed = await rejection(
    client.mutate({ mutation: PASSKEY_LOGIN_COMPLETE, variables: { handle: begun.handle, credential: assertion } }),
  );
  assert.equal(replayed.errors[0].extensions.code, "CODE_EXPIRED");
  const other = (await client.mutate({ mutation: PASSKEY_LOGIN_BEGIN })).data.passkeyLoginBegin;
  const wrongChallenge = await rejection(
    client.mutate({ mutation: PASSKEY_LOGIN_COMPLETE, variables: { handle: other.handle, credential: assertion } }),
  );
  assert.equal(wrongChallenge.errors[0].extensions.code, "PASSKEY_INVALID");
  assert.ok(seenCodes.includes("PASSKEY_INVALID"));
});

test("polls page by page: relayStylePagination merges keyset pages in order", async () => {
  const paged = new ApolloClient({
    link: new HttpLink({ uri: GRAPHQL_URL }),
    cache: new InMemoryCache({
      typePolicies: { Query: { fields: { pollsConnection: relayStylePagination() } } },
    }),
  });
  const PAGE = gql`
    query Page($first: Int, $after: String) {
      pollsConnection(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id question } }
      }
    }
  `;
  const first = (await paged.query({ query: PAGE, variables: { first: 2 } })).data.pollsConnection;
  assert.equal(first.edges.length, 2);
  assert.equal(first.pageInfo.hasNextPage, true);
  assert.equal(first.edges[0].node.question, "Which second factor do you trust most?");

  // fetchMore, as an Apollo app pages; the field policy merges each page into the cache.
  const watched = paged.watchQuery({ query: PAGE, variables: { first: 2 } });
  const subscription = watched.subscribe(() => {});
  let pageInfo = first.pageInfo;
  for (let pages = 1; pageInfo.hasNextPage; pages++) {
    assert.ok(pages < 10, "paging ends");
    const more = await watched.fetchMore({ variables: { after: pageInfo.endCursor } });
    pageInfo = more.data.pollsConnection.pageInfo;
  }
  subscription.unsubscribe();
  const merged = paged.readQuery({ query: PAGE, variables: { first: 2 } }).pollsConnection;
  const ids = merged.edges.map((edge) => edge.node.id);
  assert.equal(ids.length, first.totalCount);
  assert.equal(new Set(ids).size, ids.length, "no poll twice");
  assert.equal(merged.pageInfo.hasNextPage, false);

  const refused = await rejection(
    paged.query({ query: PAGE, variables: { first: 2, after: "not-a-cursor" }, fetchPolicy: "network-only" }),
  );
  assert.ok(CombinedGraphQLErrors.is(refused));
  assert.equal(refused.errors[0].extensions.code, "BAD_USER_INPUT");
});

// --- Every class of error reaches Apollo with its code ------------------------------

// A document Apollo can't build from a gql literal (it parses them itself) is
// sent as raw text by the printer, found by its operation name (the cache
// hands the link a copy of the document, with __typename added).
const RAW_PARSE = "query RawParse { polls { id ";
const probe = new ApolloClient({
  link: new HttpLink({
    uri: GRAPHQL_URL,
    print: (ast, originalPrint) => {
      const text = originalPrint(ast);
      return text.startsWith("query RawParse") ? RAW_PARSE : text;
    },
  }),
  cache: new InMemoryCache(),
  defaultOptions: { query: { fetchPolicy: "no-cache" } },
});

function nested(depth) {
  return "{ polls { " + "choices { poll { ".repeat(depth) + "id" + " } }".repeat(depth) + " } }";
}

const POLL_BY_ID = gql`query PollById($id: ID!) { poll(id: $id) { id } }`;
const ALIASES = gql(["{ " + Array.from({ length: 12 }, (_, i) => `a${i}: polls { id }`).join(" ") + " }"]);
const TWO_PASSWORDS = gql`
  mutation TwoPasswords {
    a: tokenAuth(username: "x", password: "y") { outcome { __typename } }
    b: tokenAuth(username: "x", password: "z") { outcome { __typename } }
  }
`;

const ERROR_CLASSES = [
  ["field", () => probe.mutate({ mutation: TOKEN_AUTH, variables: { username: USERNAME, password: "wrong-one" } }), "INVALID_CREDENTIALS"],
  ["variables", () => probe.query({ query: POLL_BY_ID, variables: { id: { x: 1 } } }), "BAD_USER_INPUT"],
  ["validation", () => probe.query({ query: gql`query Nope { polls { nope } }` }), "GRAPHQL_VALIDATION_FAILED"],
  ["parse", () => probe.query({ query: gql`query RawParse { polls { id } }` }), "GRAPHQL_PARSE_FAILED"],
  ["limit: depth", () => probe.query({ query: gql([nested(12)]) }), "QUERY_TOO_COMPLEX"],
  ["limit: aliases", () => probe.query({ query: ALIASES }), "QUERY_TOO_COMPLEX"],
  ["limit: tokens", () => probe.query({ query: gql(["{ polls { " + "id ".repeat(1200) + "} }"]) }), "QUERY_TOO_COMPLEX"],
  ["limit: length", () => probe.query({ query: gql([`{ poll(id: "${"9".repeat(21_000)}") { id } }`]) }), "QUERY_TOO_COMPLEX"],
  ["limit: one field asked too often", () => probe.query({ query: gql(["{ polls { " + "id ".repeat(11) + "} }"]) }), "QUERY_TOO_COMPLEX"],
  ["limit: one password per operation", () => probe.mutate({ mutation: TWO_PASSWORDS }), "QUERY_TOO_COMPLEX"],
  ["limit: variable depth", () => probe.query({ query: POLL_BY_ID, variables: { id: JSON.parse("[".repeat(12) + "1" + "]".repeat(12)) } }), "BAD_USER_INPUT"],
  ["bad request: body too large", () => probe.query({ query: POLL_BY_ID, variables: { id: "9".repeat(300_000) } }), "BAD_REQUEST"],
];

test("every class of error reaches Apollo as CombinedGraphQLErrors with its code", async () => {
  for (const [name, send, code] of ERROR_CLASSES) {
    const error = await rejection(send(), name);
    assert.ok(CombinedGraphQLErrors.is(error), `${name}: Apollo saw ${error}`);
    assert.deepEqual(error.errors.map((e) => e.extensions?.code), [code], name);
  }
});
