// The admin's second step with a passkey, in a real browser: Debian's Chromium,
// driven by playwright-core, with the DevTools protocol's virtual authenticator
// as the staff member's device. The passkey is a real credential of that
// authenticator: the page registers it through /graphql (passkeyRegistrationBegin,
// navigator.credentials.create, passkeyRegistrationComplete), as an account page
// would; then staff/static/staff/passkey.js answers the admin's second step.
//
// Run by tests/clients/test_clients.py, which starts the server and passes:
//   BASE_URL     http://localhost:PORT (also the server's WebAuthn origin)
//   CHROMIUM     the browser binary (/usr/bin/chromium)
//   SCREENSHOTS  the folder screenshots are written to
//   ADMIN_USERNAME, ADMIN_PASSWORD  a staff member with no second factor yet
//
// Every request the page makes to anything but this server is blocked and
// counted, and so is every Content-Security-Policy violation: both must stay 0.

import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { virtualAuthenticator } from "./virtual-authenticator.mjs";

const { BASE_URL, CHROMIUM, SCREENSHOTS, ADMIN_USERNAME, ADMIN_PASSWORD } = process.env;
assert.ok(BASE_URL && CHROMIUM && SCREENSHOTS, "BASE_URL, CHROMIUM, SCREENSHOTS");
assert.ok(ADMIN_USERNAME && ADMIN_PASSWORD, "ADMIN_USERNAME, ADMIN_PASSWORD");
const ORIGIN = new URL(BASE_URL).origin;
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

let browser;
let page;
let cdp;
let authenticatorId;
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(ORIGIN)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.on("console", (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(text.slice(0, 300));
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  // The staff member's device: a platform authenticator that verifies its user.
  ({ cdp, authenticatorId } = await virtualAuthenticator(page));
});

after(async () => {
  await browser?.close();
});

async function shot(name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// axe-core, injected through the DevTools protocol (the page's CSP allows no
// script but its own), run against WCAG 2.1 A and AA.
async function axe(name) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(
    (tags) =>
      window.axe
        .run(document, { runOnly: { type: "tag", values: tags } })
        .then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)),
    WCAG,
  );
  assert.deepEqual(violations, [], `axe-core on ${name}`);
}

const ENGLISH = { username: "Username", password: "Password", logIn: "Log in", prompt: "Use your passkey." };

async function passwordStep(words = ENGLISH) {
  const first = await page.goto(`${BASE_URL}/admin/`);
  assert.match(first.url(), /\/admin\/login\//);
  assert.match(first.headers()["content-security-policy"], /default-src 'self'/);
  await page.getByLabel(words.username).fill(ADMIN_USERNAME);
  await page.getByLabel(words.password).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: words.logIn }).click();
  await page.locator("#prompt").getByText(words.prompt).waitFor();
  // passkey.js comes last in the page and enables the button once it has run.
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/admin\/login\/verify\//);
}

// The registration an account page makes, from inside this origin's page:
// password sign-in (no second factor yet), then the passkey's ceremony.
async function registerPasskey() {
  return page.evaluate(
    async ({ username, password }) => {
      async function api(query, variables = {}, token = null) {
        const headers = { "Content-Type": "application/json" };
        if (token) headers.Authorization = `Bearer ${token}`;
        const response = await fetch("/graphql", {
          method: "POST",
          headers,
          body: JSON.stringify({ query, variables }),
        });
        const body = await response.json();
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return body.data;
      }
      const signedIn = await api(
        `mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) {
          outcome { __typename ... on AuthTokensPayload { token } } } }`,
        { u: username, p: password },
      );
      const { token } = signedIn.tokenAuth.outcome;
      const { options } = (await api("mutation { passkeyRegistrationBegin { options } }", {}, token))
        .passkeyRegistrationBegin;
      const credential = await navigator.credentials.create({
        publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
      });
      const done = await api(
        `mutation($name: String!, $credential: WebAuthnJSON!) {
          passkeyRegistrationComplete(name: $name, credential: $credential) { passkey { name } } }`,
        { name: "Virtual key", credential: credential.toJSON() },
        token,
      );
      return { id: credential.id, name: done.passkeyRegistrationComplete.passkey.name };
    },
    { username: ADMIN_USERNAME, password: ADMIN_PASSWORD },
  );
}

test("the admin: password, then a passkey of the browser's authenticator", async () => {
  // On this origin's page: the registration's origin is the live server's.
  await page.goto(`${BASE_URL}/admin/login/`);
  const registered = await registerPasskey();
  assert.equal(registered.name, "Virtual key");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0].isResidentCredential, true);

  await passwordStep();
  const button = page.getByRole("button", { name: "Use a passkey" });
  assert.equal(await button.isEnabled(), true);
  await axe("the second step");
  await shot("admin-passkey-1-step");
  await button.click();
  await page.getByText("Site administration").waitFor();
  assert.equal(new URL(page.url()).pathname, "/admin/");
  await shot("admin-passkey-2-index");
  // The authenticator signed once more: the server counted the assertion.
  const after = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.ok(after.credentials[0].signCount >= 1);

  assert.deepEqual(outside, [], "the admin asked for something outside this server");
  assert.deepEqual(problems, [], "CSP violations or page errors in the admin");
});

test("a device that can't verify its user: the page says so and nobody signs in", async () => {
  await page.context().clearCookies();
  await passwordStep();
  // The same key, but the device no longer verifies its user: the server asks
  // for user verification, so the browser refuses to use the key.
  await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: false });
  const posts = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(new URL(request.url()).pathname);
  });
  await page.getByRole("button", { name: "Use a passkey" }).click();
  // Nothing to type on this page (the passkey is the only factor): no code is offered.
  await page.locator("#passkey-status").getByText("No passkey was used. Try again.", { exact: true }).waitFor();
  await shot("admin-passkey-3-refused");
  assert.deepEqual(posts, [], "the page posted without an assertion");
  assert.match(page.url(), /\/admin\/login\/verify\//);
  const index = await page.goto(`${BASE_URL}/admin/`);
  assert.match(index.url(), /\/admin\/login\//, "signed in without a verified passkey");

  assert.deepEqual(outside, [], "the admin asked for something outside this server");
  assert.deepEqual(problems, [], "CSP violations or page errors in the admin");
});

test("a key that signs with another private key: the admin's error, and nobody signs in", async () => {
  await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: true });
  // The device's credential keeps its id and user, but now signs with a key the
  // server never registered: the browser sends an assertion the server rejects.
  const [credential] = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  await cdp.send("WebAuthn.removeCredential", { authenticatorId, credentialId: credential.credentialId });
  await cdp.send("WebAuthn.addCredential", {
    authenticatorId,
    credential: {
      ...credential,
      privateKey: privateKey.export({ type: "pkcs8", format: "der" }).toString("base64"),
    },
  });

  await page.context().clearCookies();
  await passwordStep();
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await page.locator(".errornote").getByText("The passkey could not be verified. 4 attempts left.").waitFor();
  assert.match(page.url(), /\/admin\/login\/verify\//);
  assert.match(await page.title(), /^Error:/);
  await shot("admin-passkey-4-rejected");
  // The page still offers the passkey: the script runs again on the error page.
  assert.equal(await page.getByRole("button", { name: "Use a passkey" }).isEnabled(), true);
  const index = await page.goto(`${BASE_URL}/admin/`);
  assert.match(index.url(), /\/admin\/login\//, "signed in with a key the server doesn't know");

  assert.deepEqual(outside, [], "the admin asked for something outside this server");
  assert.deepEqual(problems, [], "CSP violations or page errors in the admin");
});

test("in German: the button and what the script says are German", async () => {
  // The device still signs with the wrong key, and no longer verifies its user:
  // the browser refuses, and the script says so in the page's language.
  await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: false });
  await page.context().clearCookies();
  await page.setExtraHTTPHeaders({ "Accept-Language": "de" });
  await passwordStep({
    username: "Benutzername",
    password: "Passwort",
    logIn: "Anmelden",
    prompt: "Verwenden Sie Ihren Passkey.",
  });
  await page.getByRole("button", { name: "Passkey verwenden" }).click();
  await page
    .locator("#passkey-status")
    .getByText("Es wurde kein Passkey verwendet. Versuchen Sie es erneut.", { exact: true })
    .waitFor();
  await shot("admin-passkey-5-german");
  assert.match(page.url(), /\/admin\/login\/verify\//);

  assert.deepEqual(outside, [], "the admin asked for something outside this server");
  assert.deepEqual(problems, [], "CSP violations or page errors in the admin");
});
