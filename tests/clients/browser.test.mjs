// GraphiQL and the admin in a real browser: Debian's Chromium, driven by
// playwright-core (no browser is downloaded). The app at `/` has its own test
// (spa.test.mjs).
//
// Run by tests/clients/test_clients.py, which starts the server and passes:
//   BASE_URL     http://localhost:PORT
//   CHROMIUM     the browser binary (/usr/bin/chromium)
//   SCREENSHOTS  the folder screenshots are written to
//   ADMIN_USERNAME, ADMIN_PASSWORD, ADMIN_TOTP_SECRET  a staff member with an app
//
// Every request the pages make to anything but this server is blocked and
// counted, and so is every Content-Security-Policy violation: both must stay 0.

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { totp } from "./totp.mjs";

const { BASE_URL, CHROMIUM, SCREENSHOTS } = process.env;
const { ADMIN_USERNAME, ADMIN_PASSWORD, ADMIN_TOTP_SECRET } = process.env;
assert.ok(BASE_URL && CHROMIUM && SCREENSHOTS, "BASE_URL, CHROMIUM, SCREENSHOTS");
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
