// The second step of a sign-in: the method switcher, the code (or the
// passkey), resending by SMS or call with a countdown, and "start over". The
// method picked here is sent as verifyToken's `method`, so a recovery code is
// checked as one; PASSKEY asks the browser to sign the challenge instead.
import { useState, type FormEvent } from "react";

import { canResend, hasPhone, methodOptions, needsSend, type ChallengeState, type Method } from "../auth/machine";
import type { Channel } from "../generated/schema";
import { t, type Key } from "../i18n";
import { Countdown, StepHeading } from "../ui";

interface Props {
  state: ChallengeState;
  now: number;
  pending: boolean;
  onMethod: (method: Method) => void;
  onVerify: (code: string) => void;
  onPasskey: () => void;
  onResend: (channel: Channel) => void;
  onStartOver: () => void;
}

function prompt(state: ChallengeState): string {
  switch (state.method) {
    case "SMS":
    case "CALL":
      if (!state.codeSent) return state.notSent ?? t("sendFirst");
      return state.phoneNumber
        ? t(`sent${state.method}` as Key, { phone: state.phoneNumber })
        : t(`sent${state.method}NoNumber` as Key);
    case "TOTP":
      return t("promptTOTP");
    case "RECOVERY_CODE":
      return t("promptRECOVERY_CODE");
    case "PASSKEY":
      return t("promptPASSKEY");
    default:
      return state.message;
  }
}

export function Challenge({ state, now, pending, onMethod, onVerify, onPasskey, onResend, onStartOver }: Props) {
  const [code, setCode] = useState("");
  const options = methodOptions(state);
  const sendFirst = needsSend(state);
  const resendReady = canResend(state, now);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onVerify(code.trim());
    setCode("");
  };
  return (
    <section id="challenge" aria-labelledby="challenge-heading">
      <StepHeading>
        <span id="challenge-heading">{t("codeTitle")}</span>
      </StepHeading>
      {options.length > 1 && (
        <fieldset className="methods">
          <legend>{t("methodLegend")}</legend>
          {options.map((method) => (
            <label key={method} className="radio">
              <input
                type="radio"
                name="method"
                value={method}
                checked={state.method === method}
                onChange={() => onMethod(method)}
              />
              {t(`method${method}` as Key)}
            </label>
          ))}
        </fieldset>
      )}
      <p id="challenge-prompt" aria-live="polite">
        {prompt(state)}
      </p>
      {state.method === "PASSKEY" ? (
        <div className="buttons">
          <button type="button" disabled={pending} onClick={onPasskey}>
            {t("usePasskey")}
          </button>
        </div>
      ) : sendFirst ? (
        <div className="buttons">
          <button
            type="button"
            disabled={pending || !resendReady}
            onClick={() => onResend(state.method === "CALL" ? "CALL" : "SMS")}
          >
            {state.method === "CALL" ? t("sendCALL") : t("sendSMS")}
          </button>
        </div>
      ) : (
        <form onSubmit={submit} aria-busy={pending}>
          <label htmlFor="code">{t(`codeLabel${state.method}` as Key)}</label>
          <input
            id="code"
            name="code"
            key={state.method}
            inputMode={state.method === "RECOVERY_CODE" ? "text" : "numeric"}
            autoComplete="one-time-code"
            autoCapitalize="off"
            spellCheck={false}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <div className="buttons">
            <button type="submit" disabled={pending}>
              {t("verify")}
            </button>
          </div>
        </form>
      )}
      <p className="hint">
        <Countdown deadline={state.expiresAt} now={now} render={(time) => t("challengeExpiresIn", { time })} />
      </p>
      {hasPhone(state) && !sendFirst && (
        <div className="buttons resend">
          <button type="button" className="secondary" disabled={pending || !resendReady} onClick={() => onResend("SMS")}>
            {t("sendSMSAgain")}
          </button>
          <button type="button" className="secondary" disabled={pending || !resendReady} onClick={() => onResend("CALL")}>
            {t("sendCALL")}
          </button>
        </div>
      )}
      {hasPhone(state) && !resendReady && (
        <p className="hint">
          <Countdown deadline={state.resendAt} now={now} render={(time) => t("resendIn", { time })} />
        </p>
      )}
      <div className="buttons">
        <button type="button" className="link" onClick={onStartOver}>
          {t("startOver")}
        </button>
      </div>
    </section>
  );
}

export function Ended({ reason, onStartOver }: { reason: "expired" | "locked"; onStartOver: () => void }) {
  return (
    <section id="ended" aria-labelledby="ended-heading">
      <StepHeading>
        <span id="ended-heading">{reason === "expired" ? t("expiredTitle") : t("lockedTitle")}</span>
      </StepHeading>
      <p>{reason === "expired" ? t("expiredBody") : t("lockedBody")}</p>
      <div className="buttons">
        <button type="button" onClick={onStartOver}>
          {t("startOver")}
        </button>
      </div>
    </section>
  );
}
