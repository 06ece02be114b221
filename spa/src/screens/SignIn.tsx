// Sign in, or create an account then sign in (auth/flow.ts does the calls);
// or sign in with a passkey and no password, in a browser that has passkeys.
import { useState, type FormEvent } from "react";

import { t } from "../i18n";
import { StepHeading } from "../ui";
import { passkeysSupported } from "../webauthn";

interface Props {
  mode: "signin" | "signup";
  pending: boolean;
  onSubmit: (username: string, password: string) => void;
  onMode: (mode: "signin" | "signup") => void;
  onPasskey: () => void;
}

export function SignIn({ mode, pending, onSubmit, onMode, onPasskey }: Props) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(username.trim(), password);
  };
  return (
    <section aria-labelledby="signin-heading" id="signin">
      <StepHeading key={mode}>
        <span id="signin-heading">{mode === "signin" ? t("signInTitle") : t("signUpTitle")}</span>
      </StepHeading>
      <form onSubmit={submit} aria-busy={pending}>
        <label htmlFor="username">{t("username")}</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="password">{t("password")}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete={mode === "signin" ? "current-password" : "new-password"}
          aria-describedby={mode === "signup" ? "password-hint" : undefined}
          minLength={mode === "signup" ? 8 : undefined}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {mode === "signup" && (
          <p id="password-hint" className="hint">
            {t("passwordHint")}
          </p>
        )}
        <div className="buttons">
          <button type="submit" disabled={pending}>
            {mode === "signin" ? t("signIn") : t("createAccount")}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={pending}
            onClick={() => onMode(mode === "signin" ? "signup" : "signin")}
          >
            {mode === "signin" ? t("newHere") : t("haveAccount")}
          </button>
        </div>
      </form>
      {mode === "signin" && passkeysSupported() && (
        <div className="passwordless">
          <p>{t("passkeyOr")}</p>
          <div className="buttons">
            <button type="button" className="secondary" disabled={pending} onClick={onPasskey}>
              {t("signInWithPasskey")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
