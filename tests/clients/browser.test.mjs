// GraphiQL and the demo page in a real browser: Debian's Chromium, driven by
// playwright-core (no browser is downloaded).
//
// Run by tests/clients/test_clients.py, which starts the server and passes:
//   BASE_URL     http://localhost:PORT
//   OUTBOX       the console provider's outbox file (where codes "arrive")
//   CHROMIUM     the browser binary (/usr/bin/chromium)
//   SCREENSHOTS  the folder screenshots are written to
//   ADMIN_USERNAME, ADMIN_PASSWORD, ADMIN_TOTP_SECRET  a staff member with an app
//
// Every request the pages make to anything but this server is blocked and
// counted, and so is every Content-Security-Policy violation: both must stay 0.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { totp } from "./totp.mjs";

const { BASE_URL, OUTBOX, CHROMIUM, SCREENSHOTS } = process.env;
const { ADMIN_USERNAME, ADMIN_PASSWORD, ADMIN_TOTP_SECRET } = process.env;
assert.ok(BASE_URL && OUTBOX && CHROMIUM && SCREENSHOTS, "BASE_URL, OUTBOX, CHROMIUM, SCREENSHOTS");
const ORIGIN = new URL(BASE_URL).origin;
const DEMO_QUESTION = "Which second factor do you trust most?";

let browser;
const outside = []; // requests to anything but this server
const problems = []; // CSP violations and page errors

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});

after(async () => {
  await browser?.close();
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(ORIGIN)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    const text = message.text();
    // GraphiQL's stylesheet embeds its fonts as data: URLs. The server's policy
    // allows them (font-src 'self' data:); this test runs under the strictest
    // policy, `default-src 'self'`, where they fall back to system fonts.
    if (text.startsWith("Loading the font 'data:font/")) return;
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(text.slice(0, 300));
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return page;
}

function lastCode(to) {
  const messages = readFileSync(OUTBOX, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((m) => m.to === to);
  assert.ok(messages.length, `no code was sent to ${to}`);
  return messages.at(-1).code;
}

async function shot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function setEditor(page, editor, text) {
  // GraphiQL's editors are CodeMirror: click in, select all, and paste the text
  // (insertText, as a paste does: typing would fight its bracket auto-closing).
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}

test("GraphiQL runs a query, served entirely from this server", async () => {
  const page = await newPage();
  const response = await page.goto(`${BASE_URL}/graphql`);
  assert.equal(response.status(), 200);
  assert.match(response.headers()["content-security-policy"], /default-src 'self'/);
  await page.locator(".graphiql-container").waitFor();
  // It opens with a tab per step of the flow (web/graphiql_tabs.py), each named by its operation.
  for (const name of ["SignUp", "SignIn", "Verify", "EnrollPhone", "Vote", "Refresh"]) {
    await page.locator(".graphiql-tab-button", { hasText: name }).waitFor();
  }
  // A step runs as it opens: the demo user signs in (no 2FA yet, so tokens).
  await page.locator(".graphiql-tab-button", { hasText: "SignIn" }).click();
  await page.locator(".graphiql-execute-button").click();
  await page.locator(".result-window").getByText('"__typename": "AuthTokensPayload"').waitFor();
  await shot(page, "graphiql-tabs");

  const queryEditor = page.locator(".graphiql-query-editor .CodeMirror");
  await setEditor(page, queryEditor, "{ polls { question } }");
  await page.locator(".graphiql-execute-button").click();
  const result = page.locator(".result-window");
  await result.getByText(DEMO_QUESTION).waitFor();
  await shot(page, "graphiql-result");

  // The header editor works: a pasted Bearer token signs the request.
  const login = await fetch(`${BASE_URL}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      query: 'mutation { tokenAuth(username: "test", password: "test1234") { outcome { ... on AuthTokensPayload { token } } } }',
    }),
  }).then((r) => r.json());
  const token = login.data.tokenAuth.outcome.token;
  assert.ok(token);
  await page.locator('button[data-name="headers"]').click();
  // The tool section holds the variables editor, then the headers editor.
  const headersEditor = page.locator(".graphiql-editor-tool .CodeMirror").nth(1);
  await setEditor(page, headersEditor, JSON.stringify({ Authorization: `Bearer ${token}` }));
  await setEditor(page, queryEditor, "{ me { username } }");
  await page.locator(".graphiql-execute-button").click();
  await result.getByText('"username": "test"').waitFor();
  await shot(page, "graphiql-headers");

  assert.deepEqual(outside, [], "GraphiQL asked for something outside this server");
  assert.deepEqual(problems, [], "CSP violations or page errors on GraphiQL");
  await page.context().close();
});

test("the demo page: sign up, enroll a phone, enter the code, vote", async () => {
  const page = await newPage();
  const phone = "+14155552671";
  const username = `browser_${process.pid}`;
  const response = await page.goto(`${BASE_URL}/`);
  assert.match(response.headers()["content-security-policy"], /default-src 'self'/);

  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("a-long-browser-pass-phrase");
  await shot(page, "demo-1-signin");
  await page.getByRole("button", { name: "Create account" }).click();

  await page.locator("#enroll").waitFor();
  await page.getByLabel("Phone number").fill(phone);
  await shot(page, "demo-2-enroll");
  await page.getByRole("button", { name: "Send me a code" }).click();

  await page.locator("#code").waitFor();
  await page.locator("#hint").getByText("server log").waitFor();
  assert.match(await page.locator("#code-sent").textContent(), /\+1\*{6}2671/);
  // A wrong code first: the page shows the machine-readable code and what's left.
  const code = lastCode(phone);
  await page.getByLabel("Code").fill(String((Number(code) + 1) % 1_000_000).padStart(6, "0"));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.locator("#error").getByText("INVALID_CODE").waitFor();
  assert.match(await page.locator("#error").textContent(), /4 attempt\(s\) left/);
  await page.getByLabel("Code").fill(code);
  await shot(page, "demo-3-code");
  await page.getByRole("button", { name: "Verify" }).click();

  await page.locator("#vote").waitFor();
  await page.getByText(DEMO_QUESTION).waitFor();
  assert.match(await page.locator("#whoami").textContent(), new RegExp(username));
  await page.getByRole("button", { name: "Authenticator app" }).click();
  await page.locator('.count[data-choice="Authenticator app"]').getByText("1 vote").waitFor();
  assert.match(await page.locator("#total").textContent(), /Yours is counted/);
  await shot(page, "demo-4-counted");

  assert.deepEqual(outside, [], "the demo page asked for something outside this server");
  assert.deepEqual(problems, [], "CSP violations or page errors on the demo page");
  await page.context().close();
});

async function api(query, variables = {}, token = null) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const body = await fetch(`${BASE_URL}/graphql`, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  }).then((r) => r.json());
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

test("the demo page: sign in with an authenticator app", async () => {
  // A user who set up an app through the API (as an account page would).
  const username = `browser_app_${process.pid}`;
  const password = "another-long-pass-phrase";
  await api("mutation($u: String!, $p: String!) { register(username: $u, password: $p) { user { id } } }", {
    u: username,
    p: password,
  });
  const signIn = "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { outcome { ... on AuthTokensPayload { token } } } }";
  const { token } = (await api(signIn, { u: username, p: password })).tokenAuth.outcome;
  const { secret } = (await api("mutation { setupTotp { secret } }", {}, token)).setupTotp;
  await api("mutation($c: String!) { confirmTotp(code: $c) { token } }", { c: totp(secret) }, token);

  const page = await newPage();
  await page.goto(`${BASE_URL}/`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();

  await page.locator("#code").waitFor();
  assert.equal(await page.locator("#code-sent").textContent(), "Enter the code from your authenticator app.");
  assert.equal(await page.locator("#resend").isHidden(), true, "no phone: no SMS to offer");
  // The confirmation spent this step's code; the app's next one is accepted.
  await page.getByLabel("Code").fill(totp(secret, 1));
  await shot(page, "demo-5-app-code");
  await page.getByRole("button", { name: "Verify" }).click();

  await page.locator("#vote").waitFor();
  await page.getByRole("button", { name: "SMS code" }).click();
  await page.locator('.count[data-choice="SMS code"]').getByText("1 vote").waitFor();
  await shot(page, "demo-6-app-vote");

  assert.deepEqual(outside, [], "the demo page asked for something outside this server");
  assert.deepEqual(problems, [], "CSP violations or page errors on the demo page");
  await page.context().close();
});

// A page of another origin (another port on this host: the same *site*, so the
// browser does send a SameSite=Strict cookie along with a request from it).
async function otherOrigin() {
  const server = createServer((request, response) => {
    response.writeHead(200, { "Content-Type": "text/html" });
    response.end("<!doctype html><title>another origin</title><p>elsewhere</p>");
  });
  await new Promise((resolve) => server.listen(0, new URL(BASE_URL).hostname, resolve));
  return { server, origin: `http://${new URL(BASE_URL).hostname}:${server.address().port}` };
}

test("browser session: a reload keeps the login; another origin can't use the cookie", async (t) => {
  const username = `browser_session_${process.pid}`;
  const password = "a-third-long-pass-phrase";
  await api("mutation($u: String!, $p: String!) { register(username: $u, password: $p) { user { id } } }", {
    u: username,
    p: password,
  });
  const signIn = "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { outcome { ... on AuthTokensPayload { token } } } }";
  const { token } = (await api(signIn, { u: username, p: password })).tokenAuth.outcome;
  const { secret } = (await api("mutation { setupTotp { secret } }", {}, token)).setupTotp;
  await api("mutation($c: String!) { confirmTotp(code: $c) { token } }", { c: totp(secret) }, token);

  const elsewhere = await otherOrigin();
  t.after(async () => {
    elsewhere.server.closeAllConnections();
    await new Promise((resolve) => elsewhere.server.close(resolve));
  });
  const context = await browser.newContext();
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(ORIGIN) || url.startsWith(elsewhere.origin)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${BASE_URL}/`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Code").fill(totp(secret, 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.locator("#vote").waitFor();

  // The refresh token is in no body the page saw, nor anywhere script can read.
  const [cookie] = await refreshCookies(context);
  assert.equal(cookie.name, "pollstr_refresh");
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, "Strict");
  assert.equal(cookie.path, "/graphql");
  const storage = await page.evaluate(() => ({
    cookie: document.cookie,
    local: localStorage.length,
    session: sessionStorage.length,
  }));
  assert.deepEqual(storage, { cookie: "", local: 0, session: 0 });

  // A reload: the page refreshes from the cookie and is still signed in.
  await page.reload();
  await page.locator("#vote").waitFor();
  assert.match(await page.locator("#whoami").textContent(), new RegExp(username));
  await shot(page, "session-1-reloaded");
  const [kept] = await refreshCookies(context);

  // A page of another origin, in the same browser (the cookie is sent along).
  const other = await context.newPage();
  await other.goto(`${elsewhere.origin}/`);
  const attempts = await other.evaluate(async (endpoint) => {
    const outcomes = [];
    const send = async (query, init) => {
      try {
        const response = await fetch(endpoint, {
          method: "POST",
          credentials: "include",
          body: JSON.stringify({ query }),
          ...init,
        });
        outcomes.push(response.type === "opaque" ? "opaque" : await response.text());
      } catch (error) {
        outcomes.push(`refused: ${error.name}`);
      }
    };
    for (const query of ["mutation { refreshToken { token } }", "mutation { revokeToken { revoked } }"]) {
      // As a browser client would ask: the CORS preflight fails, nothing is sent.
      await send(query, {
        headers: { "Content-Type": "application/json", "X-Pollstr-Session": "browser" },
      });
      // Without a preflight: no custom header, a simple body type, an unreadable answer.
      await send(query, { mode: "no-cors", headers: { "Content-Type": "text/plain" } });
    }
    return outcomes;
  }, `${BASE_URL}/graphql`);
  assert.deepEqual(attempts, ["refused: TypeError", "opaque", "refused: TypeError", "opaque"]);
  // Neither rotated nor cleared the cookie, and the login goes on.
  const [after] = await refreshCookies(context);
  assert.equal(after.value, kept.value);
  await page.reload();
  await page.locator("#vote").waitFor();

  // Sign out: the cookie's login ends and the cookie is gone.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.locator("#signin").waitFor();
  await expectNoCookie(context);
  await page.reload();
  await page.locator("#signin").waitFor();

  assert.deepEqual(outside, [], "the demo page asked for something outside this server");
  assert.deepEqual(problems, [], "page errors on the demo page");
  await context.close();
});

// All of the context's refresh cookies (a url filter would hide Secure cookies of http://localhost).
async function refreshCookies(context) {
  return (await context.cookies()).filter((cookie) => cookie.name === "pollstr_refresh");
}

async function expectNoCookie(context) {
  // The sign-out request is sent without waiting for it; wait for its answer.
  for (let i = 0; i < 50; i++) {
    if ((await refreshCookies(context)).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail("the refresh cookie outlived the sign-out");
}

test("the admin: password, then the app's code; its pages work under the CSP", async () => {
  assert.ok(ADMIN_USERNAME && ADMIN_PASSWORD && ADMIN_TOTP_SECRET, "ADMIN_* variables");
  const page = await newPage();
  const first = await page.goto(`${BASE_URL}/admin/`);
  assert.match(first.url(), /\/admin\/login\//);
  assert.match(first.headers()["content-security-policy"], /default-src 'self'/);

  await page.getByLabel("Username").fill(ADMIN_USERNAME);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.locator("#prompt").getByText("authenticator app").waitFor();
  assert.match(page.url(), /\/admin\/login\/verify\//);
  await page.getByLabel("Code").fill(totp(ADMIN_TOTP_SECRET));
  await shot(page, "admin-1-code");
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByText("Site administration").waitFor();
  await shot(page, "admin-2-index");

  // The changelist's JavaScript runs: selecting every row updates the counter.
  const users = await page.goto(`${BASE_URL}/admin/accounts/user/`);
  assert.match(users.headers()["content-security-policy"], /default-src 'self'/);
  await page.locator("#action-toggle").check();
  await page.locator(".action-counter").getByText(/selected/).waitFor();
  assert.match(await page.locator(".action-counter").textContent(), /([1-9]\d*) of \1 selected/);
  await shot(page, "admin-3-users");

  for (const path of [
    "/admin/accounts/user/add/",
    "/admin/twofa/auditevent/",
    "/admin/twofa/challenge/",
    "/admin/polls/poll/add/",
    "/admin/password_change/",
  ]) {
    const response = await page.goto(`${BASE_URL}${path}`);
    assert.equal(response.status(), 200, path);
    assert.match(response.headers()["content-security-policy"], /default-src 'self'/, path);
  }
  await shot(page, "admin-4-password-change");

  assert.deepEqual(outside, [], "the admin asked for something outside this server");
  assert.deepEqual(problems, [], "CSP violations or page errors in the admin");
  await page.context().close();
});
