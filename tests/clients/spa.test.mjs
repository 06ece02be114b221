// The app at `/` (spa/) in a real browser: Debian's Chromium, driven by
// playwright-core, through every flow a person takes. Each screen is checked by
// axe-core against WCAG 2.1 A and AA and photographed into SCREENSHOTS.
//
// Run by tests/clients/test_spa.py, which builds nothing (make builds the app),
// starts the server and passes:
//   BASE_URL     http://localhost:PORT
//   OUTBOX       the console provider's outbox file (where codes "arrive")
//   CHROMIUM     the browser binary (/usr/bin/chromium)
//   SCREENSHOTS  the folder screenshots are written to
//
// Every request to anything but this server is blocked and counted, and so is
// every Content-Security-Policy violation and page error: all must stay 0.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";

import { BASE_URL, RUN, api, appHarness, lastCode, makeUser, messages, signIn, wrong } from "./app-harness.mjs";
import { totp } from "./totp.mjs";
import { virtualAuthenticator } from "./virtual-authenticator.mjs";

const DEMO_QUESTION = "Which second factor do you trust most?";
const { newPage, check } = appHarness({ shots: "spa" });

async function pollsShown(page) {
  await page.getByRole("heading", { name: "Polls", exact: true }).waitFor();
  await page.getByText(DEMO_QUESTION).waitFor();
}

function choice(page, text) {
  return page.getByRole("button", { name: `Vote for ${text}` });
}

async function focused(page) {
  return page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
}

test("sign up, enroll a phone (resend, change number), vote; every screen passes axe", async () => {
  const page = await newPage();
  const response = await page.goto(`${BASE_URL}/`);
  assert.match(response.headers()["content-security-policy"], /default-src 'self'/);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await check(page, "1-signin");

  await page.getByRole("button", { name: "New here? Create an account" }).click();
  await page.getByRole("heading", { name: "Create an account" }).waitFor();
  assert.equal(await focused(page), "Create an account", "focus moves to the step's heading");
  await page.getByLabel("Username").fill(`spa_${RUN}`);
  await page.getByLabel("Password").fill("a-long-browser-pass-phrase");
  await check(page, "2-signup");
  await page.getByRole("button", { name: "Create account" }).click();

  await page.getByRole("heading", { name: "Add your phone" }).waitFor();
  await check(page, "3-enroll");
  // A number that can't get codes: a sentence, the code only in the details line.
  await page.getByLabel("Phone number").fill("+1900555");
  await page.getByRole("button", { name: "Send me a code" }).click();
  const error = page.getByRole("alert");
  await error.getByText("Details: INVALID_PHONE").waitFor();
  assert.doesNotMatch(await error.locator(".error-message").textContent(), /INVALID_PHONE/);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("role")), "alert");
  await check(page, "4-enroll-error");

  // A first number, then "change number" to the right one.
  await page.getByLabel("Phone number").fill("+14155550111");
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByRole("heading", { name: "Confirm your phone" }).waitFor();
  await page.getByRole("button", { name: "Change number" }).click();
  await page.getByRole("heading", { name: "Add your phone" }).waitFor();
  const phone = "+14155552671";
  await page.getByLabel("Phone number").fill(phone);
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByRole("heading", { name: "Confirm your phone" }).waitFor();
  assert.match(await page.locator("#enroll-sent").textContent(), /\+14155552671/);
  await check(page, "5-enroll-code");
  // Send it again: a new code (or a wait, shown in minutes and seconds).
  const first = lastCode(phone);
  await page.getByRole("button", { name: "Text me a new code" }).click();
  await page.waitForFunction(() => !document.querySelector("[aria-busy=true]"));
  await page.locator(".pending:empty").waitFor();
  const sentAgain = messages(phone).length > 1;
  if (!sentAgain) await page.getByText(/Try again in \d+ (min|s)/).waitFor();
  // A wrong code: what's left is said, the code is in the details.
  await page.getByLabel("Code").fill(wrong(lastCode(phone)));
  await page.getByRole("button", { name: "Confirm" }).click();
  await error.getByText("Details: INVALID_CODE").waitFor();
  await page.getByLabel("Code").fill(lastCode(phone));
  assert.ok(first);
  await page.getByRole("button", { name: "Confirm" }).click();

  await pollsShown(page);
  assert.match(await page.locator("#whoami").textContent(), new RegExp(`spa_${RUN}`));
  await check(page, "6-polls");
  const button = choice(page, "Authenticator app");
  assert.equal(await button.getAttribute("aria-pressed"), "false");
  await button.click();
  await page.locator('.count[data-choice="Authenticator app"]').getByText("Your vote").waitFor();
  assert.equal(await button.getAttribute("aria-pressed"), "true");
  assert.match(await button.textContent(), /✓/);
  await check(page, "7-voted");
  await page.context().close();
});

test("sign in by SMS: a wrong code, a rate-limited resend with a countdown, a call instead", async () => {
  const phone = "+14155550112";
  const user = await makeUser("spa_sms", { phone });
  const page = await newPage();
  await signIn(page, user);
  assert.equal(await focused(page), "Enter your code");
  assert.match(await page.locator("#challenge-prompt").textContent(), /texted a code to \+1\*+0112/);
  await check(page, "sms-1-code");

  await page.getByLabel("Code from the text message").fill(wrong(lastCode(phone)));
  await page.getByRole("button", { name: "Verify" }).click();
  const error = page.getByRole("alert");
  await error.getByText("That code isn't right. 4 attempts left.").waitFor();
  await error.getByText("Details: INVALID_CODE").waitFor();
  await check(page, "sms-2-wrong");

  // Too soon for another code: the wait is shown, in seconds, and counts down.
  await page.getByRole("button", { name: "Call me with a code" }).click();
  await error.getByText("Details: RATE_LIMITED").waitFor();
  await page.getByText(/You can ask for a new code in \d+ s\./).waitFor();
  assert.equal(await page.getByRole("button", { name: "Call me with a code" }).isDisabled(), true);
  await check(page, "sms-3-wait");

  await page.getByLabel("Code from the text message").fill(lastCode(phone));
  await page.getByRole("button", { name: "Verify" }).click();
  await pollsShown(page);
  await page.context().close();
});

test("sign in with the app, or switch to SMS; the label follows the method", async () => {
  const phone = "+14155550113";
  const user = await makeUser("spa_app", { phone, app: true });
  const page = await newPage();
  await signIn(page, user);
  await page.getByLabel("Code from your authenticator app").waitFor();
  await check(page, "app-1-code");

  // "Text me a code instead": the method is SMS, the label says so.
  const before = messages(phone).length;
  await page.getByRole("radio", { name: "Text message" }).check();
  await page.getByRole("button", { name: "Text me a code" }).click();
  await page.getByLabel("Code from the text message").waitFor();
  assert.equal(messages(phone).length, before + 1);
  assert.equal(messages(phone).at(-1).purpose, "login");
  await page.getByLabel("Code from the text message").fill(lastCode(phone));
  await page.getByRole("button", { name: "Verify" }).click();
  await pollsShown(page);
  await page.context().close();

  // And the app's own code, on a fresh sign-in.
  const again = await newPage();
  await signIn(again, user);
  await again.getByLabel("Code from your authenticator app").fill(totp(user.secret, 1));
  await again.getByRole("button", { name: "Verify" }).click();
  await pollsShown(again);
  await again.context().close();
});

test("sign in with a recovery code: sent as RECOVERY_CODE, accepted", async () => {
  const user = await makeUser("spa_rec", { phone: "+14155550114", recovery: true });
  const page = await newPage();
  await signIn(page, user);
  await page.getByRole("radio", { name: "Recovery code" }).check();
  await page.getByLabel("One of your recovery codes").fill(user.codes[0]);
  await check(page, "recovery-1");
  const sent = page.waitForRequest((r) => r.url().endsWith("/graphql") && /verifyToken/.test(r.postData() ?? ""));
  await page.getByRole("button", { name: "Verify" }).click();
  assert.equal(JSON.parse((await sent).postData()).variables.method, "RECOVERY_CODE");
  await pollsShown(page);
  await page.context().close();
});

test("too many wrong codes lock the sign-in; start over leads back", async () => {
  const phone = "+14155550115";
  const user = await makeUser("spa_lock", { phone });
  const page = await newPage();
  await signIn(page, user);
  const bad = wrong(lastCode(phone));
  await page.getByLabel("Code from the text message").waitFor();
  for (let i = 0; i < 5; i++) {
    if (await page.getByRole("heading", { name: "Too many wrong codes" }).isVisible()) break;
    await page.getByLabel("Code from the text message").fill(bad);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.locator(".pending:empty").waitFor();
    await page.waitForFunction(() => !document.querySelector("button:disabled[type=submit]"));
  }
  await page.getByRole("heading", { name: "Too many wrong codes" }).waitFor();
  assert.equal(await focused(page), "Too many wrong codes");
  await check(page, "locked");
  await page.getByRole("button", { name: "Start over" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.context().close();
});

test("a proxy's HTML page and a lost connection are shown, not swallowed", async () => {
  const page = await newPage();
  await page.goto(`${BASE_URL}/`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.route(`${BASE_URL}/graphql`, (route) =>
    route.fulfill({ status: 502, contentType: "text/html", body: "<html><body>Bad Gateway</body></html>" }),
  );
  await page.getByLabel("Username").fill("someone");
  await page.getByLabel("Password").fill("whatever-pass");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const error = page.getByRole("alert");
  await error.getByText("The server sent an answer this page can't read.", { exact: false }).waitFor();
  await error.getByText(/HTTP 502/).waitFor();
  await check(page, "error-502");

  await page.unroute(`${BASE_URL}/graphql`);
  await page.route(`${BASE_URL}/graphql`, (route) => route.abort("connectionrefused"));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await error.getByText("Can't reach the server.", { exact: false }).waitFor();
  await page.context().close();
});

test("the development outbox panel shows only where the server has one", async () => {
  const page = await newPage();
  await page.goto(`${BASE_URL}/`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: /Development/ }).count(), 0, "no outbox: no panel");

  await page.route(`${BASE_URL}/dev/outbox`, (route) =>
    route.fulfill({
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({
        messages: [{ to: "+14155552671", channel: "sms", purpose: "login", code: "123456", sentAt: "2026-01-01T00:00:00Z" }],
      }),
    }),
  );
  await page.reload();
  await page.getByRole("heading", { name: "Development: messages sent" }).waitFor();
  await page.getByText("123456").waitFor();
  await check(page, "dev-outbox");
  await page.context().close();
});

test("keyboard only: sign in, switch method, verify and vote", async () => {
  const phone = "+14155550116";
  const user = await makeUser("spa_keys", { phone, app: true });
  const page = await newPage();
  await page.goto(`${BASE_URL}/`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.keyboard.press("Tab");
  await page.keyboard.type(user.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(user.password);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Enter your code" }).waitFor();
  assert.equal(await focused(page), "Enter your code");
  // Tab to the method group (the app is checked), then type the app's code.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.value), "TOTP");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "code");
  await page.keyboard.type(totp(user.secret, 1));
  await page.keyboard.press("Enter");
  await pollsShown(page);
  // Tab to the first choice of the newest poll and press Space.
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    const label = await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");
    if (label === "Vote for SMS code") break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Vote for SMS code");
  await page.keyboard.press("Space");
  await page.locator('.count[data-choice="SMS code"]').getByText("Your vote").waitFor();
  await page.context().close();
});

test("390 px wide: polls page by page, counts refreshed while visible", async () => {
  const user = await makeUser("spa_narrow", { app: true });
  const other = await makeUser("spa_other", { app: true });
  const page = await newPage({ width: 390, height: 844 });
  await signIn(page, user);
  await page.getByLabel("Code from your authenticator app").fill(totp(user.secret, 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await pollsShown(page);
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= 390, `no sideways scrolling at 390 px (${scroll})`);
  await check(page, "narrow-1-polls");

  // Another user's vote reaches this page by polling, with no reload.
  const counted = page.locator('.count[data-choice="Voice call"]');
  const was = Number((await counted.textContent()).match(/\d+/)?.[0] ?? 0);
  const polls = await api("{ pollsConnection(first: 1) { edges { node { choices { id text } } } } }");
  const voice = polls.pollsConnection.edges[0].node.choices.find((c) => c.text === "Voice call");
  const signedIn = await fetch(`${BASE_URL}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      query: `mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) {
        outcome { ... on LoginChallenge { challenge } } } }`,
      variables: { u: other.username, p: other.password },
    }),
  }).then((r) => r.json());
  const { token } = (
    await api("mutation($ch: String!, $c: String!) { verifyToken(challenge: $ch, code: $c) { token } }", {
      ch: signedIn.data.tokenAuth.outcome.challenge,
      c: totp(other.secret, 1),
    })
  ).verifyToken;
  await api("mutation($id: ID!) { vote(choiceId: $id) { poll { id } } }", { id: voice.id }, token);
  await counted.getByText(was + 1 === 1 ? "1 vote" : `${was + 1} votes`).waitFor({ timeout: 15000 });

  // The next page, and back.
  await page.getByRole("button", { name: "Older polls" }).click();
  await page.getByText(/^Polls 4–/).waitFor();
  await page.getByText(/^Older poll \d$/).first().waitFor();
  await check(page, "narrow-2-older");
  await page.getByRole("button", { name: "Newer polls" }).click();
  await page.getByText(DEMO_QUESTION).waitFor();
  await page.context().close();
});

test("an expired access token: one refresh from the cookie, then the vote goes through", async () => {
  const user = await makeUser("spa_expired", { app: true });
  const page = await newPage();
  await signIn(page, user);
  await page.getByLabel("Code from your authenticator app").fill(totp(user.secret, 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await pollsShown(page);

  // The server's answer to an expired token, once; every request is recorded.
  const sent = [];
  let refused = false;
  await page.route(`${BASE_URL}/graphql`, async (route) => {
    const body = route.request().postData() ?? "";
    sent.push(/mutation Vote/.test(body) ? "vote" : /refreshToken/.test(body) ? "refresh" : "other");
    if (!refused && /mutation Vote/.test(body)) {
      refused = true;
      return route.fulfill({
        status: 200,
        contentType: "application/graphql-response+json",
        body: JSON.stringify({
          errors: [{ message: "Signature has expired", path: ["vote"], extensions: { code: "UNAUTHENTICATED" } }],
          data: { vote: null },
        }),
      });
    }
    return route.continue();
  });
  await choice(page, "Voice call").click();
  await page.locator('.count[data-choice="Voice call"]').getByText("Your vote").waitFor();
  assert.deepEqual(
    sent.filter((what) => what !== "other"),
    ["vote", "refresh", "vote"],
  );
  assert.equal(await page.getByRole("alert").locator(".error-message").count(), 0, "no error shown");
  await page.context().close();
});

test("in German: the app's own strings and the server's, with the code unchanged", async () => {
  const page = await newPage({ locale: "de-DE" });
  await page.goto(`${BASE_URL}/`);
  await page.getByRole("heading", { name: "Anmelden" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "de");
  await page.getByLabel("Benutzername").fill("nobody-here");
  await page.getByLabel("Passwort").fill("not-the-password");
  const sent = page.waitForRequest((r) => r.url().endsWith("/graphql") && /tokenAuth/.test(r.postData() ?? ""));
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  assert.match((await sent).headers()["accept-language"], /^de-DE\b/);
  const error = page.getByRole("alert");
  await error.getByText("Benutzername und Passwort passen nicht zusammen.").waitFor();
  await error.getByText("Details: INVALID_CREDENTIALS").waitFor();
  await check(page, "de-signin-error");
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

async function refreshCookies(context) {
  // All of them: a url filter would hide Secure cookies of http://localhost.
  return (await context.cookies()).filter((cookie) => cookie.name === "pollstr_refresh");
}

test("browser session: a reload keeps the login; another origin can't use the cookie; sign out ends it", async (t) => {
  const user = await makeUser("spa_session", { app: true });
  const elsewhere = await otherOrigin();
  t.after(async () => {
    elsewhere.server.closeAllConnections();
    await new Promise((resolve) => elsewhere.server.close(resolve));
  });
  const page = await newPage({ allow: [elsewhere.origin] });
  const context = page.context();
  await signIn(page, user);
  await page.getByLabel("Code from your authenticator app").fill(totp(user.secret, 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await pollsShown(page);

  // The refresh token is in no body the page saw, nor anywhere script can read.
  const [cookie] = await refreshCookies(context);
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

  await page.reload();
  await pollsShown(page);
  assert.match(await page.locator("#whoami").textContent(), new RegExp(user.username));
  await check(page, "session-reloaded");
  const [kept] = await refreshCookies(context);

  const other = await context.newPage();
  await other.goto(`${elsewhere.origin}/`);
  const attempts = await other.evaluate(async (endpoint) => {
    const outcomes = [];
    const send = async (query, init) => {
      try {
        const response = await fetch(endpoint, { method: "POST", credentials: "include", body: JSON.stringify({ query }), ...init });
        outcomes.push(response.type === "opaque" ? "opaque" : await response.text());
      } catch (error) {
        outcomes.push(`refused: ${error.name}`);
      }
    };
    for (const query of ["mutation { refreshToken { token } }", "mutation { revokeToken { revoked } }"]) {
      await send(query, { headers: { "Content-Type": "application/json", "X-Pollstr-Session": "browser" } });
      await send(query, { mode: "no-cors", headers: { "Content-Type": "text/plain" } });
    }
    return outcomes;
  }, `${BASE_URL}/graphql`);
  assert.deepEqual(attempts, ["refused: TypeError", "opaque", "refused: TypeError", "opaque"]);
  const [unchanged] = await refreshCookies(context);
  assert.equal(unchanged.value, kept.value);
  await page.reload();
  await pollsShown(page);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.deepEqual(await refreshCookies(context), []);
  await page.reload();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await context.close();
});

async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

test("passkeys: enroll one in the browser, then password + passkey, then no password, then vote", async () => {
  const page = await newPage();
  const authenticator = await virtualAuthenticator(page);
  const username = `spa_pk_${RUN}`;
  const password = "a-long-passkey-pass-phrase";
  await page.goto(`${BASE_URL}/`);
  await page.getByRole("button", { name: "New here? Create an account" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();

  // Enrollment offers a passkey beside the phone.
  await page.getByRole("heading", { name: "Or use a passkey" }).waitFor();
  await check(page, "pk-1-enroll");
  await page.getByLabel("Name for this passkey").fill("Test laptop");
  await page.getByRole("button", { name: "Create a passkey" }).click();
  await pollsShown(page);
  // 2FA is on with the passkey alone: the app reminds the user to make recovery codes.
  await page.locator("#recovery-needed").getByText(/no recovery codes yet/).waitFor();
  await check(page, "pk-2-enrolled");
  // The reminder leads to the account page, where the codes are made and shown once.
  await page.getByRole("link", { name: "Create recovery codes in Account security" }).click();
  await page.getByRole("heading", { name: "Account security" }).waitFor();
  await page.getByRole("button", { name: "Create recovery codes", exact: true }).click();
  const shown = page.locator("dialog#recovery-codes");
  await shown.waitFor();
  assert.equal(await shown.locator("li code").count(), 10);
  await shown.getByRole("button", { name: "I saved them" }).click();
  await shown.waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Back to the polls" }).click();
  await pollsShown(page);
  assert.equal(await page.locator("#recovery-needed").count(), 0, "the reminder is gone");
  const [stored] = await authenticator.credentials();
  assert.equal(stored.isResidentCredential, true, "a discoverable credential (resident key)");
  assert.equal(stored.rpId, "localhost");
  await signOut(page);

  // Password, then the passkey: the challenge starts on PASSKEY (the preferred
  // method), with the recovery codes beside it.
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Enter your code" }).waitFor();
  await page.getByText(/Use your passkey/).waitFor();
  assert.equal(await page.getByRole("radio", { name: "Passkey" }).isChecked(), true);
  assert.deepEqual(await page.getByRole("radio").evaluateAll((radios) => radios.map((r) => r.value)), [
    "PASSKEY",
    "RECOVERY_CODE",
  ]);
  assert.equal(await page.getByRole("textbox").count(), 0, "no code field for a passkey");
  await check(page, "pk-3-second-step");
  const verify = page.waitForRequest((r) => r.url().endsWith("/graphql") && /verifyToken/.test(r.postData() ?? ""));
  await page.getByRole("button", { name: "Use a passkey" }).click();
  const sent = JSON.parse((await verify).postData());
  assert.equal(sent.variables.credential.type, "public-key");
  assert.equal(sent.variables.code, undefined, "a passkey sends its assertion, not a code");
  await pollsShown(page);
  await signOut(page);

  // A prompt the person doesn't complete (here: no user verification): said so,
  // nothing spent, and the next try works.
  await authenticator.userVerified(false);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  const error = page.getByRole("alert");
  await error.getByText("The passkey prompt was closed. Try again, or pick another way.").waitFor();
  await check(page, "pk-4-cancelled");
  await authenticator.userVerified(true);

  // No password at all: the browser offers the site's passkey, which says whose account it is.
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await pollsShown(page);
  assert.match(await page.locator("#whoami").textContent(), new RegExp(username));
  const button = choice(page, "SMS code");
  await button.click();
  await page.locator('.count[data-choice="SMS code"]').getByText("Your vote").waitFor();
  assert.equal(await button.getAttribute("aria-pressed"), "true");
  const [used] = await authenticator.credentials();
  assert.ok(used.signCount >= 2, `the authenticator signed twice (signCount ${used.signCount})`);
  await page.context().close();
});
