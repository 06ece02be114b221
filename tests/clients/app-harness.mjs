// What the app's browser tests share (spa.test.mjs, account.test.mjs): one
// Chromium for the file, pages that may ask nothing of anyone but this server
// (every other request is blocked and counted, and so is every CSP violation
// and page error: after the file, all must be 0), the console outbox where
// codes "arrive", axe-core with a screenshot, and users made through the API.
//
// Environment (set by the pytest that runs the file):
//   BASE_URL     http://localhost:PORT
//   OUTBOX       the console provider's outbox file
//   CHROMIUM     the browser binary (/usr/bin/chromium)
//   SCREENSHOTS  the folder screenshots are written to

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before } from "node:test";

import { chromium } from "playwright-core";

import { totp } from "./totp.mjs";

const { BASE_URL, OUTBOX, CHROMIUM, SCREENSHOTS } = process.env;
assert.ok(BASE_URL && OUTBOX && CHROMIUM && SCREENSHOTS, "BASE_URL, OUTBOX, CHROMIUM, SCREENSHOTS");
export { BASE_URL };
export const ORIGIN = new URL(BASE_URL).origin;
export const RUN = process.pid;
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const REGISTER = "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { user { id } } }";
const SIGN_IN = `mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) {
  outcome { __typename ... on AuthTokensPayload { token } } } }`;

// Registers the file's before/after hooks; `shots` prefixes its screenshots'
// names, `contextOptions` and `permissions` go to every page's browser context.
export function appHarness({ shots, contextOptions = {}, permissions = [] }) {
  let browser;
  const outside = []; // requests to anything but this server
  const problems = []; // CSP violations and page errors

  before(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
  });

  after(async () => {
    await browser?.close();
    assert.deepEqual(outside, [], "the app asked for something outside this server");
    assert.deepEqual(problems, [], "CSP violations or page errors in the app");
  });

  async function newPage({ width = 1280, height = 900, allow = [], locale = "en-US" } = {}) {
    const context = await browser.newContext({ viewport: { width, height }, locale, ...contextOptions });
    if (permissions.length) await context.grantPermissions(permissions, { origin: ORIGIN });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(ORIGIN) || allow.some((origin) => url.startsWith(origin))) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on("console", (message) => {
      const text = message.text();
      if (/Content Security Policy|Refused to/i.test(text)) problems.push(text.slice(0, 300));
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    return page;
  }

  // axe-core, injected through the DevTools protocol (the page's CSP allows no
  // script but its own), run against WCAG 2.1 A and AA; then a screenshot.
  async function check(page, name) {
    await page.evaluate(AXE);
    const violations = await page.evaluate(
      (tags) =>
        window.axe
          .run(document, { runOnly: { type: "tag", values: tags } })
          .then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)),
      WCAG,
    );
    assert.deepEqual(violations, [], `axe-core on ${name}`);
    await page.screenshot({ path: join(SCREENSHOTS, `${shots}-${name}.png`), fullPage: true });
  }

  return { newPage, check };
}

export function messages(to) {
  return readFileSync(OUTBOX, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((m) => m.to === to);
}

export function lastCode(to) {
  const sent = messages(to);
  assert.ok(sent.length, `no code was sent to ${to}`);
  return sent.at(-1).code;
}

export function wrong(code) {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

export async function api(query, variables = {}, token = null) {
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

// A user as an account page would have made them: a phone, an app, recovery codes.
export async function makeUser(prefix, { phone = null, app = false, recovery = false } = {}) {
  const username = `${prefix}_${RUN}`;
  const password = `${prefix}-long-pass-phrase`;
  await api(REGISTER, { u: username, p: password });
  let { token } = (await api(SIGN_IN, { u: username, p: password })).tokenAuth.outcome;
  const made = { username, password };
  if (app) {
    const { secret } = (await api("mutation { setupTotp { secret } }", {}, token)).setupTotp;
    token = (await api("mutation($c: String!) { confirmTotp(code: $c) { token } }", { c: totp(secret) }, token))
      .confirmTotp.token;
    made.secret = secret;
  }
  if (phone) {
    await api("mutation($n: String!) { verifyPhone(phoneNumber: $n) { sent } }", { n: phone }, token);
    const registered = await api(
      "mutation($n: String!, $c: String!) { registerPhone(phoneNumber: $n, code: $c) { token } }",
      { n: phone, c: lastCode(phone) },
      token,
    );
    token = registered.registerPhone.token;
  }
  if (recovery) {
    made.codes = (await api("mutation { generateRecoveryCodes { codes } }", {}, token)).generateRecoveryCodes.codes;
  }
  return made;
}

export async function signIn(page, { username, password }) {
  await page.goto(`${BASE_URL}/`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Enter your code" }).waitFor();
}
