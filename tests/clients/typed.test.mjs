// The README's operations (operations/*.graphql, the documents codegen types)
// run by Apollo Client 4 with its normalising cache against a live server:
// tokenAuth's outcome narrowed on __typename, the claims, refreshExpiresAt,
// and error codes that are values of the schema's ErrorCode enum.
//
// Run by tests/clients/test_codegen.py, which starts the server and passes:
//   GRAPHQL_URL   http://127.0.0.1:PORT/graphql
//   OUTBOX        the console provider's outbox file (where codes "arrive")

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";

import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from "@apollo/client";
import { Kind, buildSchema, parse, visit } from "graphql";

const GRAPHQL_URL = process.env.GRAPHQL_URL;
const OUTBOX = process.env.OUTBOX;
assert.ok(GRAPHQL_URL && OUTBOX, "GRAPHQL_URL and OUTBOX must be set");

const PHONE = "+14155552671";
const USERNAME = `typed_${process.pid}`;
const PASSWORD = "a-long-typed-pass-phrase";

const here = new URL(".", import.meta.url);
const ERROR_CODES = buildSchema(readFileSync(new URL("../../schema.graphql", here), "utf8"))
  .getType("ErrorCode")
  .getValues()
  .map((value) => value.name);

// --- The documents, one operation each with the fragments it spreads ----------------

const all = parse(
  readdirSync(new URL("operations/", here))
    .filter((name) => name.endsWith(".graphql"))
    .map((name) => readFileSync(new URL(`operations/${name}`, here), "utf8"))
    .join("\n"),
);
const fragments = Object.fromEntries(
  all.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
);

function operation(name) {
  const op = all.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name.value === name);
  assert.ok(op, `no operation ${name} in operations/`);
  const used = new Set();
  const collect = (node) =>
    visit(node, {
      FragmentSpread(spread) {
        if (!used.has(spread.name.value)) {
          used.add(spread.name.value);
          collect(fragments[spread.name.value]);
        }
      },
    });
  collect(op);
  return { kind: Kind.DOCUMENT, definitions: [op, ...[...used].map((f) => fragments[f])] };
}

// --- The client ---------------------------------------------------------------------

const session = { token: null, refreshToken: null };

const client = new ApolloClient({
  link: ApolloLink.from([
    new ApolloLink((op, forward) => {
      op.setContext(({ headers = {} }) => ({
        headers: session.token ? { ...headers, authorization: `Bearer ${session.token}` } : headers,
      }));
      return forward(op);
    }),
    new HttpLink({ uri: GRAPHQL_URL }),
  ]),
  cache: new InMemoryCache(),
});

const mutate = async (name, variables) => (await client.mutate({ mutation: operation(name), variables })).data;

function lastCode() {
  const lines = readFileSync(OUTBOX, "utf8").trim().split("\n");
  return JSON.parse(lines.at(-1)).code;
}

// --- The flow -----------------------------------------------------------------------

test("sign-up and a sign-in without 2FA: the outcome is tokens", async () => {
  await mutate("Register", { username: USERNAME, password: PASSWORD });
  const { tokenAuth } = await mutate("SignIn", { username: USERNAME, password: PASSWORD });

  assert.equal(tokenAuth.outcome.__typename, "AuthTokensPayload");
  assert.deepEqual(tokenAuth.outcome.claims.amr, ["pwd"]);
  assert.equal(tokenAuth.outcome.claims.username, USERNAME);
  assert.equal(tokenAuth.outcome.claims.authTime, null);
  assert.equal("challenge" in tokenAuth.outcome, false);
  session.token = tokenAuth.outcome.token;
});

test("enrolling a phone: the new pair's claims say SMS", async () => {
  await mutate("VerifyPhone", { phoneNumber: PHONE });
  const { registerPhone } = await mutate("RegisterPhone", { phoneNumber: PHONE, code: lastCode() });

  assert.deepEqual(registerPhone.claims.amr, ["pwd", "sms"]);
  assert.equal(registerPhone.user.twoFactor.enabled, true);
});

test("a sign-in with 2FA: the outcome is a challenge, the code gives tokens", async () => {
  session.token = null;
  const { tokenAuth } = await mutate("SignIn", { username: USERNAME, password: PASSWORD });

  assert.equal(tokenAuth.outcome.__typename, "LoginChallenge");
  assert.equal(tokenAuth.outcome.codeSent, true);
  assert.deepEqual(tokenAuth.outcome.methods, ["SMS", "CALL"]);
  assert.equal("token" in tokenAuth.outcome, false);

  const { verifyToken } = await mutate("VerifyCode", { challenge: tokenAuth.outcome.challenge, code: lastCode() });
  assert.deepEqual(verifyToken.claims.amr, ["pwd", "sms"]);
  assert.ok(verifyToken.refreshExpiresAt > Date.now() / 1000);

  const { refreshToken } = await mutate("Refresh", { refreshToken: verifyToken.refreshToken });
  assert.equal(refreshToken.refreshExpiresAt, verifyToken.refreshExpiresAt);

  // The used challenge: its code is one of the schema's ErrorCode values.
  const error = await mutate("VerifyCode", { challenge: tokenAuth.outcome.challenge, code: "000000" }).then(
    () => null,
    (e) => e,
  );
  assert.ok(CombinedGraphQLErrors.is(error), `expected GraphQL errors, got ${error}`);
  const codes = error.errors.map((e) => e.extensions?.code);
  assert.deepEqual(codes, ["CODE_EXPIRED"]);
  assert.ok(codes.every((code) => ERROR_CODES.includes(code)));
});
