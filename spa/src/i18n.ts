// The app's own strings. English is complete; a language is added as one more
// dictionary (the same keys) and listed in DICTIONARIES. The server's messages
// (LoginChallenge.message, error messages) come in the language the request's
// Accept-Language asks for (api.ts), so the app asks for the same list.
const en = {
  appTitle: "Pollstr",
  tagline: "Two-factor sign-in for a GraphQL API, shown with a poll.",
  loading: "Loading…",
  working: "Working…",
  signInTitle: "Sign in",
  signUpTitle: "Create an account",
  username: "Username",
  password: "Password",
  passwordHint: "8 characters or more.",
  signIn: "Sign in",
  createAccount: "Create account",
  haveAccount: "I already have an account",
  newHere: "New here? Create an account",
  codeTitle: "Enter your code",
  codeLabelSMS: "Code from the text message",
  codeLabelCALL: "Code from the phone call",
  codeLabelTOTP: "Code from your authenticator app",
  codeLabelRECOVERY_CODE: "One of your recovery codes",
  methodLegend: "How do you want to confirm it's you?",
  methodSMS: "Text message",
  methodCALL: "Phone call",
  methodTOTP: "Authenticator app",
  methodRECOVERY_CODE: "Recovery code",
  sentSMS: "We texted a code to {phone}.",
  sentCALL: "We are calling {phone} with a code.",
  sentSMSNoNumber: "We texted a code to your phone.",
  sentCALLNoNumber: "We are calling your phone with a code.",
  sendFirst: "We'll send a code to the phone on your account.",
  challengeExpiresIn: "This sign-in expires in {time}.",
  promptTOTP: "Open your authenticator app and enter the 6-digit code for Pollstr.",
  promptRECOVERY_CODE: "Enter one of the recovery codes you saved. Each works once.",
  verify: "Verify",
  sendSMS: "Text me a code",
  sendSMSAgain: "Text me a new code",
  sendCALL: "Call me with a code",
  resendIn: "You can ask for a new code in {time}.",
  expiresIn: "The code expires in {time}.",
  startOver: "Start over",
  expiredTitle: "This sign-in has expired",
  expiredBody: "Sign-in codes work for a few minutes. Start over to get a new one.",
  lockedTitle: "Too many wrong codes",
  lockedBody: "For your safety this sign-in is locked. Start over to try again.",
  attemptsLeft: "{n} attempts left.",
  enrollTitle: "Add your phone",
  enrollBody: "Voting needs a second factor. Enter your mobile number with its country code.",
  phone: "Phone number",
  phoneHint: "For example +14155552671.",
  sendCode: "Send me a code",
  enrollCodeTitle: "Confirm your phone",
  enrollSent: "We sent a code to {phone}.",
  enrollCodeLabel: "Code",
  confirm: "Confirm",
  enrollExpired: "This code has expired. Ask for a new one.",
  changeNumber: "Change number",
  pollsTitle: "Polls",
  signedInAs: "Signed in as {username}.",
  signOut: "Sign out",
  votes: "{n} votes",
  vote1: "1 vote",
  totalVotes: "{n} votes in all",
  yourVote: "Your vote",
  voteFor: "Vote for {choice}",
  newer: "Newer polls",
  older: "Older polls",
  pageOf: "Polls {from}–{to} of {total}",
  noPolls: "No polls yet.",
  errorTitle: "Something went wrong",
  details: "Details: {details}",
  dismiss: "Dismiss",
  devTitle: "Development: messages sent",
  devBody: "No SMS or call leaves this server; the codes it would have sent are here.",
  devEmpty: "Nothing sent yet.",
  devRefresh: "Refresh",
  graphiql: "Exploring the API? GraphiQL (development)",
};

export type Key = keyof typeof en;
type Dictionary = Record<Key, string>;

const DICTIONARIES: Record<string, Dictionary> = { en };

// The browser's languages, as the user ordered them (navigator.languages).
export function requestLanguages(): string[] {
  const list = typeof navigator !== "undefined" ? navigator.languages : undefined;
  return list && list.length ? [...list] : ["en"];
}

export function pickLanguage(languages: readonly string[]): string {
  for (const tag of languages) {
    const base = tag.toLowerCase().split("-")[0];
    if (base in DICTIONARIES) return base;
  }
  return "en";
}

const language = pickLanguage(requestLanguages());
const dictionary = DICTIONARIES[language];

export function currentLanguage(): string {
  return language;
}

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return dictionary[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}
