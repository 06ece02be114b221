// The demo page: sign in, enroll a phone, enter the code, vote, see the results.
// Plain JavaScript against the public GraphQL API, as a customer's SPA would do it:
// a browser session (the refresh token in the API's HttpOnly cookie, so a reload
// keeps the login), the access token in memory only, errors read from `extensions.code`.

const endpoint = document.body.dataset.endpoint;
const devHint = document.body.dataset.devHint;

const state = { token: null, challenge: null, phone: null, purpose: null };

// --- GraphQL ------------------------------------------------------------------------

class ApiError extends Error {
  constructor(error) {
    super(error.message);
    this.code = (error.extensions && error.extensions.code) || "UNKNOWN";
    this.extensions = error.extensions || {};
  }
}

async function gql(query, variables = {}, { auth = true } = {}) {
  // The opt-in to a browser session; the API also reads its cookie only with it.
  const headers = { "Content-Type": "application/json", "X-Pollstr-Session": "browser" };
  if (auth && state.token) headers.Authorization = `Bearer ${state.token}`;
  let response;
  try {
    response = await fetch(endpoint, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch (err) {
    throw new ApiError({ message: "The server can't be reached.", extensions: { code: "NETWORK_ERROR" } });
  }
  const body = await response.json();
  if (body.errors && body.errors.length) {
    const error = new ApiError(body.errors[0]);
    // An expired access token: refresh from the cookie once and try again.
    if (error.code === "UNAUTHENTICATED" && auth && state.token && !gql.refreshing) {
      gql.refreshing = true;
      try {
        await refresh();
      } finally {
        gql.refreshing = false;
      }
      return gql(query, variables, { auth });
    }
    throw error;
  }
  return body.data;
}

async function refresh() {
  const data = await gql("mutation Refresh { refreshToken { token payload } }", {}, { auth: false });
  keepTokens(data.refreshToken);
  return data.refreshToken.payload;
}

function keepTokens(tokens) {
  state.token = tokens.token;
}

// --- Page ---------------------------------------------------------------------------

const steps = ["signin", "enroll", "code", "vote"];
const $ = (selector) => document.querySelector(selector);

const visited = new Set();

function show(step) {
  if (step === "signin") visited.clear();
  visited.add(step);
  for (const name of steps) {
    $(`#${name}`).hidden = name !== step;
    const marker = $(`.steps [data-step="${name}"]`);
    marker.classList.toggle("current", name === step);
    // Only steps this visit went through (a returning user skips enrollment).
    marker.classList.toggle("done", name !== step && visited.has(name));
  }
  const first = $(`#${step} input`);
  if (first) first.focus();
}

const MESSAGES = {
  INVALID_CREDENTIALS: "Wrong username or password.",
  INVALID_CODE: "That code is not right.",
  CODE_EXPIRED: "That code has expired. Sign in again for a new one.",
  TOO_MANY_ATTEMPTS: "Too many wrong codes. Sign in again for a new one.",
  INVALID_PHONE: "That phone number doesn't look right. Include the country code, e.g. +14155552671.",
  PROVIDER_UNAVAILABLE: "We couldn't send the code just now. Try again in a moment.",
};

function showError(error) {
  const box = $("#error");
  if (!error) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  let text = MESSAGES[error.code] || error.message;
  if (error.code === "INVALID_CODE" && error.extensions.attemptsLeft !== undefined) {
    text += ` ${error.extensions.attemptsLeft} attempt(s) left.`;
  }
  if (error.code === "RATE_LIMITED") {
    text = `Too many tries. Wait ${error.extensions.retryAfter} seconds.`;
  }
  if (error.code === "BAD_USER_INPUT" && error.extensions.fields) {
    text = Object.values(error.extensions.fields).flat().join(" ");
  }
  box.textContent = `${text} (${error.code})`;
  box.hidden = false;
}

function showCodeHint(message, { byApp = false } = {}) {
  $("#code-sent").textContent = message;
  const hint = $("#hint");
  // The development hint is about codes sent to a phone, not about the app.
  hint.textContent = byApp ? "" : devHint || "";
  hint.hidden = byApp || !devHint;
}

async function busy(form, work) {
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => (b.disabled = true));
  showError(null);
  try {
    await work();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    showError(error);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

// --- Steps --------------------------------------------------------------------------

// `outcome` is one of two shapes: signed in (tokens) or a challenge to answer.
const TOKEN_AUTH = `mutation SignIn($u: String!, $p: String!) {
  tokenAuth(username: $u, password: $p) {
    outcome {
      __typename
      ... on AuthTokensPayload { token }
      ... on LoginChallenge { challenge message method methods codeSent }
    }
  }
}`;

$("#signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const action = event.submitter ? event.submitter.value : "signin";
  busy(form, async () => {
    const u = form.username.value.trim();
    const p = form.password.value;
    if (action === "register") {
      await gql(
        "mutation Register($u: String!, $p: String!) { register(username: $u, password: $p) { user { id } } }",
        { u, p },
        { auth: false },
      );
    }
    const result = (await gql(TOKEN_AUTH, { u, p }, { auth: false })).tokenAuth.outcome;
    if (result.__typename === "LoginChallenge") {
      state.challenge = result.challenge;
      state.purpose = "login";
      const byApp = result.method === "TOTP";
      // With the app, offer a text message instead (when there is a phone).
      $("#resend").hidden = byApp && !result.methods.includes("SMS");
      // codeSent false: the message says why no code went out; the button sends it later.
      $("#resend").textContent = byApp
        ? "Text me a code instead"
        : result.codeSent === false ? "Send the code" : "Send it again";
      showCodeHint(result.message, { byApp });
      show("code");
      return;
    }
    keepTokens(result);
    show("enroll");
  });
});

$("#enroll-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  busy(form, async () => {
    state.phone = form.phone.value.trim();
    const sent = (
      await gql(
        "mutation SendCode($p: String!) { verifyPhone(phoneNumber: $p) { sent phoneNumber } }",
        { p: state.phone },
      )
    ).verifyPhone;
    state.purpose = "enroll";
    $("#resend").hidden = true;
    showCodeHint(`A verification code was sent to ${sent.phoneNumber}.`);
    show("code");
  });
});

$("#code-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  busy(form, async () => {
    const code = form.code.value.trim();
    if (state.purpose === "enroll") {
      const data = await gql(
        "mutation Confirm($p: String!, $c: String!) { registerPhone(phoneNumber: $p, code: $c) { token } }",
        { p: state.phone, c: code },
      );
      keepTokens(data.registerPhone);
    } else {
      const data = await gql(
        "mutation Verify($ch: String!, $c: String!) { verifyToken(challenge: $ch, code: $c) { token } }",
        { ch: state.challenge, c: code },
        { auth: false },
      );
      keepTokens(data.verifyToken);
    }
    form.reset();
    $("#hint").hidden = true;
    await loadPoll();
    show("vote");
  });
});

$("#resend").addEventListener("click", () => {
  busy($("#code-form"), async () => {
    await gql(
      "mutation Resend($ch: String!) { resendCode(challenge: $ch) { sent } }",
      { ch: state.challenge },
      { auth: false },
    );
    showCodeHint("A code was sent to your phone.");
  });
});

$("#signout").addEventListener("click", () => {
  Object.assign(state, { token: null, challenge: null, phone: null });
  // Ends the cookie's login and clears the cookie.
  gql("mutation SignOut { revokeToken { revoked } }", {}, { auth: false }).catch(() => {});
  $("#poll").replaceChildren();
  show("signin");
});

// --- Poll ---------------------------------------------------------------------------

const POLL_FIELDS = "id question totalVotes myVote { id } choices { id text votes }";

async function loadPoll() {
  // The newest poll only: one item of the paginated connection, not every poll.
  const data = await gql(
    `query Polls { me { username } pollsConnection(first: 1) { edges { node { ${POLL_FIELDS} } } } }`
  );
  $("#whoami").textContent = `Signed in as ${data.me.username}, with a second factor.`;
  const edges = data.pollsConnection.edges;
  if (!edges.length) {
    $("#poll").textContent = "There is no poll yet (run `manage.py seed_demo`).";
    return;
  }
  renderPoll(edges[0].node);
}

function renderPoll(poll) {
  const box = $("#poll");
  const title = document.createElement("h3");
  title.textContent = poll.question;
  const list = document.createElement("div");
  for (const choice of poll.choices) {
    const row = document.createElement("div");
    row.className = "choice";
    row.classList.toggle("mine", poll.myVote !== null && poll.myVote.id === choice.id);
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = choice.text;
    button.addEventListener("click", () => vote(choice.id));
    const bar = document.createElement("div");
    bar.className = "bar";
    const fill = document.createElement("span");
    fill.style.width = poll.totalVotes ? `${(100 * choice.votes) / poll.totalVotes}%` : "0";
    bar.append(fill);
    const count = document.createElement("span");
    count.className = "count";
    count.dataset.choice = choice.text;
    count.textContent = `${choice.votes} vote${choice.votes === 1 ? "" : "s"}`;
    row.append(button, bar, count);
    list.append(row);
  }
  const total = document.createElement("p");
  total.id = "total";
  total.className = "note";
  total.textContent = poll.myVote
    ? `${poll.totalVotes} vote(s) in all. Yours is counted; click another choice to move it.`
    : `${poll.totalVotes} vote(s) in all. Click a choice to vote.`;
  box.replaceChildren(title, list, total);
}

async function vote(choiceId) {
  await busy($("#vote"), async () => {
    const data = await gql(`mutation Vote($c: ID!) { vote(choiceId: $c) { poll { ${POLL_FIELDS} } } }`, { c: choiceId });
    renderPoll(data.vote.poll);
  });
}

// A reload: the cookie, if any, still holds the login.
async function restore() {
  try {
    const claims = await refresh();
    if (claims.amr.length > 1) {
      await loadPoll();
      show("vote");
      return;
    }
    show("enroll");
  } catch (error) {
    show("signin");
  }
}

restore();
