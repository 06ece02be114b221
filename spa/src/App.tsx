// The app: one state machine (auth/machine.ts) picks the screen; the calls
// (auth/flow.ts) feed it events. Errors, pending state and the development
// outbox panel live here, around whichever screen is showing.
import { useCallback, useEffect, useReducer, useState } from "react";

import { client } from "./api";
import { initialState, reduce, type Event } from "./auth/machine";
import * as flow from "./auth/flow";
import { setAccessToken } from "./auth/tokens";
import { describe, type Problem } from "./errors";
import { t } from "./i18n";
import { Challenge, Ended } from "./screens/Challenge";
import { DevOutbox } from "./screens/DevOutbox";
import { Enroll } from "./screens/Enroll";
import { Polls } from "./screens/Polls";
import { Account } from "./screens/account/Account";
import { SignIn } from "./screens/SignIn";
import { ErrorBox, Pending, StepHeading, useNow } from "./ui";

export function App() {
  const [state, dispatch] = useReducer(reduce, initialState);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pending, setPending] = useState(false);
  // Bumped after every send, so the development outbox panel reloads.
  const [sends, setSends] = useState(0);
  const now = useNow();
  // The account page is #/account: a reload (which keeps the login) keeps the page.
  const [route, setRoute] = useState(() => window.location.hash);
  useEffect(() => {
    const onHash = () => setRoute(window.location.hash);
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const go = (hash: string) => {
    window.location.hash = hash;
    setRoute(window.location.hash);
  };

  // Runs one call: pending while it runs, its event dispatched, its error shown.
  const run = useCallback(async (call: () => Promise<Event>, sends = false) => {
    setPending(true);
    setProblem(null);
    try {
      dispatch(await call());
    } catch (error) {
      const found = describe(error);
      setProblem(found);
      dispatch({ type: "failed", problem: found, now: Date.now() });
    } finally {
      setPending(false);
      if (sends) setSends((n) => n + 1);
    }
  }, []);

  useEffect(() => {
    void flow.restore().then(dispatch, () => dispatch({ type: "signedOut" }));
  }, []);

  useEffect(() => {
    dispatch({ type: "tick", now });
  }, [now]);

  // Signed out (or the session ended): nothing of the last user stays cached.
  useEffect(() => {
    if (state.step === "signin") void client.clearStore();
  }, [state.step]);

  const startOver = () => {
    setProblem(null);
    dispatch({ type: "startOver" });
  };

  const attempts =
    problem?.code === "INVALID_CODE" && state.step === "challenge" && state.attemptsLeft !== null
      ? t("attemptsLeft", { n: state.attemptsLeft })
      : undefined;

  let screen;
  switch (state.step) {
    case "starting":
      screen = <p role="status">{t("loading")}</p>;
      break;
    case "signin":
      screen = (
        <SignIn
          key={state.mode}
          mode={state.mode}
          pending={pending}
          onMode={(mode) => {
            setProblem(null);
            dispatch({ type: "modeChosen", mode });
          }}
          onSubmit={(u, p) => run(() => (state.mode === "signin" ? flow.signIn(u, p) : flow.signUp(u, p)), true)}
          onPasskey={() => run(flow.signInWithPasskey)}
        />
      );
      break;
    case "challenge":
      screen = (
        <Challenge
          key={state.challenge}
          state={state}
          now={now}
          pending={pending}
          onMethod={(method) => {
            setProblem(null);
            dispatch({ type: "methodChosen", method });
          }}
          onVerify={(code) => run(() => flow.verify(state.challenge, code, state.method))}
          onPasskey={() => state.passkeyOptions && run(() => flow.verifyPasskey(state.challenge, state.passkeyOptions!))}
          onResend={(channel) => run(() => flow.resend(state.challenge, channel), true)}
          onStartOver={startOver}
        />
      );
      break;
    case "ended":
      screen = <Ended reason={state.reason} onStartOver={startOver} />;
      break;
    case "enroll":
      screen = (
        <Enroll
          key={state.phoneNumber ?? "number"}
          state={state}
          now={now}
          pending={pending}
          onSend={(phone) => run(() => flow.sendEnrollmentCode(phone), true)}
          onConfirm={(code) => run(() => flow.confirmPhone(state.phoneNumber ?? "", code))}
          onPasskey={(name) => run(() => flow.enrollPasskey(name))}
          onChangeNumber={() => {
            setProblem(null);
            dispatch({ type: "changeNumber" });
          }}
        />
      );
      break;
    case "ready":
      screen =
        route === "#/account" ? (
          <Account
            onBack={() => go("")}
            onSignedOut={() => {
              setAccessToken(null);
              go("");
              dispatch({ type: "signedOut" });
            }}
          />
        ) : (
        <section id="polls" aria-labelledby="polls-heading">
          <StepHeading>
            <span id="polls-heading">{t("pollsTitle")}</span>
          </StepHeading>
          <div className="whoami">
            <p id="whoami">{t("signedInAs", { username: state.username })}</p>
            <button type="button" className="secondary" onClick={() => go("#/account")}>
              {t("accOpen")}
            </button>
            <button type="button" className="secondary" disabled={pending} onClick={() => run(flow.signOut)}>
              {t("signOut")}
            </button>
          </div>
          {state.recoveryCodesNeeded && (
            <p className="notice" id="recovery-needed">
              {t("recoveryNeeded")} <a href="#/account" onClick={() => dispatch({ type: "reminderFollowed" })}>
                {t("recoveryNeededLink")}
              </a>
            </p>
          )}
          <Polls
            onProblem={(found) => {
              // Shown again on the screen this leads to (sign-in, when the session ended).
              setProblem(found);
              if (found.code === "TWO_FACTOR_REQUIRED") dispatch({ type: "twoFactorRequired", username: state.username });
              else dispatch({ type: "failed", problem: found, now: Date.now() });
            }}
          />
        </section>
        );
      break;
  }

  return (
    <>
      <header>
        <h1>{t("appTitle")}</h1>
        <p className="tagline">{t("tagline")}</p>
      </header>
      <main>
        {state.step !== "ready" && <ErrorBox problem={problem} extra={attempts} />}
        {state.step !== "ready" && <Pending pending={pending} />}
        {screen}
      </main>
      <DevOutbox version={sends} />
      <footer>
        <a href="/graphql">{t("graphiql")}</a>
      </footer>
    </>
  );
}
