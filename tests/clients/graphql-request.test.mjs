// graphql-request (a second client nobody here wrote) through the README's whole
// flow against a live Pollstr server, and what it sees when something fails.
//
// Run by tests/clients/test_clients.py, which starts the server and passes:
//   GRAPHQL_URL   http://127.0.0.1:PORT/graphql
//   OUTBOX        the console provider's outbox file (where codes "arrive")
//
// graphql-request asks for application/graphql-response+json first; a failure
// (a field error at 200, or a refused document at 400) is thrown as a
// ClientError whose `response.errors` carry `extensions.code`.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { ClientError, GraphQLClient, gql } from "graphql-request";

const GRAPHQL_URL = process.env.GRAPHQL_URL;
const OUTBOX = process.env.OUTBOX;
assert.ok(GRAPHQL_URL && OUTBOX, "GRAPHQL_URL and OUTBOX must be set");

const PHONE = "+14155550199";
const USERNAME = `gqlrequest_${process.pid}`;
const PASSWORD = "a-long-graphql-request-pass-phrase";

const client = new GraphQLClient(GRAPHQL_URL);
const session = { token: null, refreshToken: null };

function run(document, variables = {}) {
  const requestHeaders = session.token ? { authorization: `Bearer ${session.token}` } : {};
  return client.request({ document, variables, requestHeaders });
}

// The code of a failed operation, and the HTTP status it came with.
async function failure(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ClientError, `expected a ClientError, got ${error}`);
    return { codes: error.response.errors.map((e) => e.extensions.code), status: error.response.status };
  }
  assert.fail("expected the operation to fail");
}

function lastCode(to) {
  const lines = readFileSync(OUTBOX, "utf8").trim().split("\n").filter(Boolean);
  const messages = lines.map((line) => JSON.parse(line)).filter((m) => m.to === to);
  assert.ok(messages.length, `no code was sent to ${to}`);
  return messages.at(-1).code;
}

const REGISTER = gql`
  mutation Register($username: String!, $password: String!) {
    register(username: $username, password: $password) { user { username } }
  }
`;
const TOKEN_AUTH = gql`
  mutation TokenAuth($username: String!, $password: String!) {
    tokenAuth(username: $username, password: $password) {
      twoFactorRequired token refreshToken challenge phoneNumber codeSent
    }
  }
`;
const VERIFY_PHONE = gql`
  mutation VerifyPhone($phoneNumber: String!) { verifyPhone(phoneNumber: $phoneNumber) { sent } }
`;
const REGISTER_PHONE = gql`
  mutation RegisterPhone($phoneNumber: String!, $code: String!) {
    registerPhone(phoneNumber: $phoneNumber, code: $code) { token refreshToken }
  }
`;
const VERIFY_TOKEN = gql`
  mutation VerifyToken($challenge: String!, $code: String!) {
    verifyToken(challenge: $challenge, code: $code) { token refreshToken }
  }
`;
const POLLS = gql`query Polls { polls { id question totalVotes choices { id text } } }`;
const VOTE = gql`
  mutation Vote($choiceId: ID!) { vote(choiceId: $choiceId) { poll { totalVotes myVote { id } } } }
`;
const REFRESH = gql`
  mutation Refresh($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { token refreshToken } }
`;
const REVOKE = gql`
  mutation Revoke($refreshToken: String!) { revokeToken(refreshToken: $refreshToken) { revoked } }
`;

test("the README's flow through graphql-request", async () => {
  // Sign up and sign in with the password alone: tokens straight away.
  assert.equal((await run(REGISTER, { username: USERNAME, password: PASSWORD })).register.user.username, USERNAME);
  const login = (await run(TOKEN_AUTH, { username: USERNAME, password: PASSWORD })).tokenAuth;
  assert.equal(login.twoFactorRequired, false);
  Object.assign(session, { token: login.token, refreshToken: login.refreshToken });

  // Acting needs a second factor: a field error, at HTTP 200.
  const poll = (await run(POLLS)).polls.find((p) => p.question === "Which second factor do you trust most?");
  assert.ok(poll, "the demo poll is there");
  assert.deepEqual(await failure(run(VOTE, { choiceId: poll.choices[0].id })), {
    codes: ["TWO_FACTOR_REQUIRED"],
    status: 200,
  });

  // Enroll a phone; the new pair of tokens is 2FA-verified, and the vote counts.
  assert.equal((await run(VERIFY_PHONE, { phoneNumber: PHONE })).verifyPhone.sent, true);
  const enrolled = (await run(REGISTER_PHONE, { phoneNumber: PHONE, code: lastCode(PHONE) })).registerPhone;
  Object.assign(session, { token: enrolled.token, refreshToken: enrolled.refreshToken });
  const voted = (await run(VOTE, { choiceId: poll.choices[0].id })).vote.poll;
  assert.equal(voted.myVote.id, poll.choices[0].id);
  assert.equal(voted.totalVotes, poll.totalVotes + 1);

  // Sign in again: a challenge and a code by SMS; a wrong code first.
  Object.assign(session, { token: null, refreshToken: null });
  const challenged = (await run(TOKEN_AUTH, { username: USERNAME, password: PASSWORD })).tokenAuth;
  assert.equal(challenged.twoFactorRequired, true);
  assert.equal(challenged.codeSent, true);
  const code = lastCode(PHONE);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  assert.deepEqual(await failure(run(VERIFY_TOKEN, { challenge: challenged.challenge, code: wrong })), {
    codes: ["INVALID_CODE"],
    status: 200,
  });
  const verified = (await run(VERIFY_TOKEN, { challenge: challenged.challenge, code })).verifyToken;
  Object.assign(session, { token: verified.token, refreshToken: verified.refreshToken });

  // Stay signed in: the refresh token rotates; then sign out, and it is dead.
  const refreshed = (await run(REFRESH, { refreshToken: session.refreshToken })).refreshToken;
  assert.notEqual(refreshed.refreshToken, session.refreshToken);
  Object.assign(session, { token: refreshed.token, refreshToken: refreshed.refreshToken });
  assert.equal((await run(REVOKE, { refreshToken: session.refreshToken })).revokeToken.revoked, true);
  assert.deepEqual(await failure(run(REFRESH, { refreshToken: session.refreshToken })), {
    codes: ["INVALID_REFRESH_TOKEN"],
    status: 200,
  });
});

test("a document the server refuses: a ClientError with its code, at HTTP 400", async () => {
  assert.deepEqual(await failure(run(gql`query Nope { polls { nope } }`)), {
    codes: ["GRAPHQL_VALIDATION_FAILED"],
    status: 400,
  });
  assert.deepEqual(await failure(run(gql`query PollById($id: ID!) { poll(id: $id) { id } }`, { id: { x: 1 } })), {
    codes: ["BAD_USER_INPUT"],
    status: 400,
  });
});
