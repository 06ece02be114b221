// The account security page (#/account, spa/src/screens/account/) in a real
// browser: every action on it through the UI, a real step-up prompt (the
// server's TWOFA_STEP_UP_MAX_AGE is short in this run and one test waits it
// out), passkeys through Chromium's virtual authenticator, axe-core on the page
// and on each dialog, a keyboard-only pass at 390 px.
//
// Run by tests/clients/test_account_page.py, which also checks the server's
// state afterwards. Environment: BASE_URL, OUTBOX, CHROMIUM, SCREENSHOTS (as
// spa.test.mjs) and STEP_UP_MAX_AGE (seconds).
//
// Every request to anything but this server is blocked and counted, and so is
// every Content-Security-Policy violation and page error: all must stay 0.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { BASE_URL, api, appHarness, lastCode, makeUser, messages, signIn, wrong } from "./app-harness.mjs";
import { totp } from "./totp.mjs";
import { virtualAuthenticator } from "./virtual-authenticator.mjs";

const STEP_UP_MAX_AGE = Number(process.env.STEP_UP_MAX_AGE);
assert.ok(STEP_UP_MAX_AGE, "STEP_UP_MAX_AGE");
const { newPage, check } = appHarness({
  shots: "account",
  contextOptions: { acceptDownloads: true },
  permissions: ["clipboard-read", "clipboard-write"],
});


const status = (page) => page.locator("#account .status");

async function signInBySms(page, user, phone) {
  await signIn(page, user);
  await page.getByLabel("Code from the text message").fill(lastCode(phone));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("heading", { name: "Polls", exact: true }).waitFor();
}

// After an action: when the server asked for a step-up, answer the prompt with
// a recovery code (state.codes), then wait for what the action shows.
async function through(page, state, done) {
  const dialog = page.locator("dialog#step-up");
  const error = page.locator("#account > .error:not(.empty), #account .field-error");
  await dialog.or(done).or(error).first().waitFor();
  if (await error.isVisible()) assert.fail(`the page showed: ${await error.textContent()}`);
  if (await dialog.isVisible()) {
    state.prompts += 1;
    await dialog.getByRole("button", { name: "Use a recovery code" }).click();
    await dialog.getByLabel("Recovery code").fill(state.codes.shift());
    await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
  }
  await done.waitFor();
}

async function confirmIn(page, action) {
  const dialog = page.locator("dialog#confirm");
  await dialog.waitFor();
  await dialog.getByRole("button", { name: action, exact: true }).click();
  await dialog.waitFor({ state: "detached" });
}

async function activeName(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    const label = e?.labels?.[0]?.textContent;
    return (e?.getAttribute("aria-label") || label || e?.textContent || "").trim();
  });
}

// Keyboard only: Tab until the control with this name has focus.
async function tabTo(page, name) {
  for (let i = 0; i < 200; i += 1) {
    await page.keyboard.press("Tab");
    if ((await activeName(page)) === name) return;
  }
  assert.fail(`Tab never reached ${name}`);
}

const ANOTHER_SESSION = `mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) {
  outcome { __typename ... on LoginChallenge { challenge } } } }`;
const VERIFY = `mutation($c: String!, $code: String!) { verifyToken(challenge: $c, code: $code, method: RECOVERY_CODE) { token } }`;

test("every action of the account page, through the UI; dialogs and page pass axe", async () => {
  const phone = "+14155550161";
  const user = await makeUser("acct", { phone, recovery: true });
  const state = { codes: [...user.codes], prompts: 0 };
  const page = await newPage();
  const response = await page.goto(`${BASE_URL}/`);
  assert.match(response.headers()["content-security-policy"], /default-src 'self'/);
  await signInBySms(page, user, phone);

  await page.getByRole("button", { name: "Account security" }).click();
  await page.getByRole("heading", { name: "Account security" }).waitFor();
  assert.equal(await activeName(page), "Account security", "focus moves to the page's heading");
  assert.match(page.url(), /#\/account$/);
  await page.getByText("Recovery codes left: 10").first().waitFor();
  // Factors at a glance: when each was added and last used (the phone: this sign-in).
  const factors = page.locator("#account ul.factors");
  assert.match(await factors.textContent(), /Phone: \+1\*+0161 · added .+ · last used (?!never)/);
  assert.match(await factors.textContent(), /Authenticator app: not set up/);
  assert.match(await factors.textContent(), /Recovery codes left: 10 · created /);
  await check(page, "1-page");

  // A reload keeps the login (the cookie) and the page (#/account).
  await page.reload();
  await page.getByRole("heading", { name: "Account security" }).waitFor();

  // Recovery codes: confirm, then shown once with copy and download.
  await page.getByRole("button", { name: "Create new recovery codes" }).click();
  await page.locator("dialog#confirm").waitFor();
  await check(page, "2-confirm");
  await confirmIn(page, "Create new recovery codes");
  const shown = page.locator("dialog#recovery-codes");
  await through(page, state, shown);
  const codes = (await shown.locator("li code").allTextContents()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  await check(page, "3-recovery-codes");
  await shown.getByRole("button", { name: "Copy" }).click();
  await shown.getByText("Copied.").waitFor();
  assert.equal((await page.evaluate(() => navigator.clipboard.readText())).trim(), codes.join("\n"));
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    shown.getByRole("button", { name: "Download (.txt)" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "pollstr-recovery-codes.txt");
  assert.equal(readFileSync(await download.path(), "utf8").trim(), codes.join("\n"));
  await shown.getByRole("button", { name: "I saved them" }).click();
  await shown.waitFor({ state: "detached" });
  state.codes = codes; // the earlier ones stopped working
  await page.locator("#recovery-left").getByText("Recovery codes left: 10").waitFor();

  // An authenticator app: the QR code (inline SVG under the strict CSP) and the key.
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const qr = page.locator(".qr svg");
  await through(page, state, qr);
  const key = (await page.locator("#totp-key").textContent()).trim();
  assert.match(key, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, "the key, grouped in fours");
  assert.ok((await qr.boundingBox()).width > 100, "the QR code is drawn");
  await page.getByRole("button", { name: "Copy the key" }).click();
  const secret = (await page.evaluate(() => navigator.clipboard.readText())).trim();
  assert.equal(secret, key.replaceAll(" ", ""));
  await check(page, "4-app-setup");
  await page.getByLabel("Code", { exact: true }).fill(totp(secret));
  await page.getByRole("button", { name: "Confirm the app" }).click();
  await through(page, state, status(page).getByText("Your authenticator app is set up."));
  assert.match(await factors.textContent(), /Authenticator app: set up · added .+ · last used never/);

  // Change the phone: a code to the new number.
  const newPhone = "+14155550162";
  await page.getByRole("button", { name: "Change the phone" }).click();
  await page.getByLabel("Phone number").fill(newPhone);
  await page.getByRole("radio", { name: "Text message (SMS)" }).check();
  await page.getByRole("button", { name: "Send me a code" }).click();
  await through(page, state, page.locator("#acc-phone-code"));
  await page.locator("#acc-phone-code").fill(lastCode(newPhone));
  await page.getByRole("button", { name: "Confirm the phone" }).click();
  await through(page, state, status(page).getByText("Your phone is saved."));
  await page.getByText(/Your phone: \+1\*+0162\./).waitFor();

  // Passkeys, with Chromium's virtual authenticator: add, rename, add another, remove it.
  await virtualAuthenticator(page);
  // One at a time: the server excludes the user's passkeys from a new one, and
  // Chromium then waits (as for a person) instead of creating a second one on
  // the same authenticator.
  const addPasskey = async (name) => {
    await page.getByLabel("Name for a new passkey").fill(name);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await through(page, state, status(page).getByText(`Passkey “${name}” added.`));
  };
  await addPasskey("Spare");
  await page.getByRole("button", { name: "Remove passkey Spare" }).click();
  await page.locator("dialog#confirm").waitFor();
  await check(page, "5-confirm-passkey");
  await confirmIn(page, "Remove");
  await through(page, state, status(page).getByText("Passkey “Spare” removed."));
  await addPasskey("Laptop");
  await page.getByRole("button", { name: "Rename passkey Laptop" }).click();
  await page.getByLabel("New name").fill("Work laptop");
  await page.getByRole("button", { name: "Save", exact: true }).first().click();
  await through(page, state, status(page).getByText("Passkey renamed to “Work laptop”."));
  await page.getByText(/Work laptop · added .* · last used never/).waitFor();

  // The preferred method (a new passkey became it).
  await page.getByLabel("A sign-in starts with").selectOption({ label: "Text message (SMS)" });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await through(page, state, status(page).getByText("Sign-ins now start with: Text message (SMS)."));

  // Sessions: another one (an API sign-in), signed out from here.
  const { challenge } = (await api(ANOTHER_SESSION, { u: user.username, p: user.password })).tokenAuth.outcome;
  await api(VERIFY, { c: challenge, code: state.codes.pop() });
  await page.reload();
  await page.getByRole("heading", { name: "Account security" }).waitFor();
  const other = page.getByRole("button", { name: /^Sign out this one: the session signed in/ });
  await other.waitFor();
  assert.equal(await other.count(), 1);
  await other.click();
  await through(page, state, status(page).getByText("The session was signed out."));
  assert.equal(await other.count(), 0);

  // The password: a rule broken is said next to the field; then a good one.
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Change the password" }).click();
  await page.locator("#acc-new-password-error").waitFor();
  assert.equal(await page.getByLabel("New password").getAttribute("aria-invalid"), "true");
  await check(page, "6-password-error");
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill("violet-harbour-lantern-93");
  await page.getByRole("button", { name: "Change the password" }).click();
  await through(page, state, status(page).getByText("Your password was changed.", { exact: false }));

  // Remove the app again (confirmation first).
  await page.getByRole("button", { name: "Remove the app" }).click();
  await confirmIn(page, "Remove the app");
  await through(page, state, status(page).getByText("Your authenticator app was removed."));

  // The user's security events, newest first, page by page.
  const events = page.locator("ol.events > li");
  await events.first().waitFor();
  assert.match(await events.first().textContent(), /Authenticator app removed/);
  assert.equal(await events.count(), 10);
  await page.getByRole("button", { name: "Show older events" }).click();
  await page.waitForFunction(() => document.querySelectorAll("ol.events > li").length > 10);
  assert.match((await events.allTextContents()).join("\n"), /Passkey added/);
  await check(page, "7-events");

  // Sign out everywhere: confirmed, then this session ends too.
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await confirmIn(page, "Sign out everywhere");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.reload();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  console.log(`step-up prompts answered on the way: ${state.prompts}`);
  await page.context().close();
});

test("keyboard only at 390 px: a step-up prompt (Escape cancels), then 2FA off by SMS code", async () => {
  const phone = "+14155550163";
  const user = await makeUser("acctkb", { phone });
  const page = await newPage({ width: 390, height: 844 });
  await signInBySms(page, user, phone);
  const fresh = Date.now();

  await tabTo(page, "Account security");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Account security" }).waitFor();
  await page.getByText("Two-factor sign-in is on.").waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "no sideways scrolling");
  await check(page, "narrow-1-page");

  // The one wait: the sign-in's code check becomes too old for a step-up action.
  await page.waitForTimeout(Math.max(0, fresh + (STEP_UP_MAX_AGE + 1) * 1000 - Date.now()));

  const turnOff = async () => {
    await tabTo(page, "Turn 2FA off");
    await page.keyboard.press("Enter");
    await page.locator("dialog#confirm").waitFor();
    await tabTo(page, "Turn 2FA off");
    await page.keyboard.press("Space");
  };
  await turnOff();
  const dialog = page.locator("dialog#step-up");
  await dialog.waitFor();
  assert.equal(await activeName(page), "Confirm it's you", "focus moves into the prompt");
  await check(page, "narrow-2-step-up");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  await page.getByText("Two-factor sign-in is on.").waitFor();
  assert.equal(await page.locator("#account .error:not(.empty)").count(), 0, "cancel leaves no error");
  await page.waitForFunction(() => document.activeElement?.textContent === "Turn 2FA off");
  assert.equal(await activeName(page), "Turn 2FA off", "focus returns to the control that opened the prompt");

  await turnOff();
  await dialog.waitFor();
  const before = messages(phone).length;
  await tabTo(page, "Text me a code");
  await page.keyboard.press("Enter");
  await dialog.getByLabel("Code", { exact: true }).waitFor();
  assert.equal(messages(phone).length, before + 1, "the step-up code was sent");
  await tabTo(page, "Code");
  await page.keyboard.type(wrong(lastCode(phone)));
  await page.keyboard.press("Enter");
  await dialog.getByText("Details: INVALID_CODE").waitFor();
  await check(page, "narrow-3-step-up-wrong");
  await tabTo(page, "Code");
  await page.keyboard.press("Control+A");
  await page.keyboard.type(lastCode(phone));
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  // The action ran again after the prompt: 2FA is off.
  const off = status(page).getByText("Two-factor sign-in is off.");
  const error = page.locator(".error:not(.empty)");
  await off.or(error).first().waitFor();
  if (await error.isVisible()) assert.fail(`the page showed: ${await error.textContent()}`);
  await page.getByText("Two-factor sign-in is off.").first().waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "no sideways scrolling");
  await check(page, "narrow-4-off");
  await page.context().close();
});

test("a step-up prompt answered with a passkey, after a code was sent again", async () => {
  const phone = "+14155550164";
  const user = await makeUser("acctpk", { phone });
  const page = await newPage();
  await virtualAuthenticator(page);
  await signInBySms(page, user, phone);
  const fresh = Date.now();
  await page.getByRole("button", { name: "Account security" }).click();
  await page.getByRole("heading", { name: "Account security" }).waitFor();
  await page.getByLabel("Name for a new passkey").fill("Key");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await status(page).getByText("Passkey “Key” added.").waitFor();

  // The one wait of this test: the sign-in's check becomes too old.
  await page.waitForTimeout(Math.max(0, fresh + (STEP_UP_MAX_AGE + 1) * 1000 - Date.now()));
  await page.getByRole("button", { name: "Remove passkey Key" }).click();
  await confirmIn(page, "Remove");
  const dialog = page.locator("dialog#step-up");
  await dialog.waitFor();

  // A code first, sent again (the test's cooldown is 1 s)...
  const before = messages(phone).length;
  await dialog.getByRole("button", { name: "Text me a code" }).click();
  await dialog.getByLabel("Code", { exact: true }).waitFor();
  assert.equal(messages(phone).length, before + 1);
  await page.waitForTimeout(1100);
  await dialog.getByRole("button", { name: "Send a new code" }).click();
  await dialog.getByText("A new code was sent.").waitFor();
  assert.equal(messages(phone).length, before + 2, "the resend reached the phone");
  assert.equal(messages(phone).at(-1).purpose, "step_up");

  // ...then the passkey instead: its assertion completes the step-up and the removal runs again.
  const completed = page.waitForRequest(
    (r) => r.url().endsWith("/graphql") && /stepUpComplete/.test(r.postData() ?? ""),
  );
  await dialog.getByRole("button", { name: "Use a passkey" }).click();
  const sent = JSON.parse((await completed).postData());
  assert.equal(sent.variables.method, "PASSKEY");
  assert.equal(sent.variables.credential.type, "public-key");
  await dialog.waitFor({ state: "detached" });
  await status(page).getByText("Passkey “Key” removed.").waitFor();
  await page.getByText("You have no passkeys yet.").waitFor();
  await page.context().close();
});
