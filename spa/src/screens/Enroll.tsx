// Enrollment of a first second factor: a phone (the number, then its code,
// with "send it again" and "change number": the first code may never arrive,
// or the number was wrong), or a passkey, in a browser that has passkeys.
import { useState, type FormEvent } from "react";

import { canResend, type EnrollState } from "../auth/machine";
import { t } from "../i18n";
import { Countdown, StepHeading } from "../ui";
import { passkeysSupported } from "../webauthn";

interface Props {
  state: EnrollState;
  now: number;
  pending: boolean;
  onSend: (phoneNumber: string) => void;
  onConfirm: (code: string) => void;
  onChangeNumber: () => void;
  onPasskey: (name: string) => void;
}

function PasskeyEnrollment({ pending, onPasskey }: { pending: boolean; onPasskey: (name: string) => void }) {
  const [name, setName] = useState(t("passkeyDefaultName"));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onPasskey(name.trim() || t("passkeyDefaultName"));
  };
  return (
    <section className="alternative" aria-labelledby="enroll-passkey-heading">
      <h3 id="enroll-passkey-heading">{t("enrollPasskeyTitle")}</h3>
      <p>{t("enrollPasskeyBody")}</p>
      <form onSubmit={submit} aria-busy={pending}>
        <label htmlFor="passkey-name">{t("passkeyName")}</label>
        <input
          id="passkey-name"
          name="passkey-name"
          aria-describedby="passkey-name-hint"
          maxLength={64}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <p id="passkey-name-hint" className="hint">
          {t("passkeyNameHint")}
        </p>
        <div className="buttons">
          <button type="submit" className="secondary" disabled={pending}>
            {t("createPasskey")}
          </button>
        </div>
      </form>
    </section>
  );
}

export function Enroll({ state, now, pending, onSend, onConfirm, onChangeNumber, onPasskey }: Props) {
  const [phone, setPhone] = useState(state.phoneNumber ?? "");
  const [code, setCode] = useState("");
  if (state.phoneNumber === null) {
    const submit = (event: FormEvent) => {
      event.preventDefault();
      onSend(phone.trim());
    };
    return (
      <section id="enroll" aria-labelledby="enroll-heading">
        <StepHeading>
          <span id="enroll-heading">{t("enrollTitle")}</span>
        </StepHeading>
        <p>{t("enrollBody")}</p>
        <form onSubmit={submit} aria-busy={pending}>
          <label htmlFor="phone">{t("phone")}</label>
          <input
            id="phone"
            name="phone"
            type="tel"
            autoComplete="tel"
            aria-describedby="phone-hint"
            required
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
          />
          <p id="phone-hint" className="hint">
            {t("phoneHint")}
          </p>
          <div className="buttons">
            <button type="submit" disabled={pending}>
              {t("sendCode")}
            </button>
          </div>
        </form>
        {passkeysSupported() && <PasskeyEnrollment pending={pending} onPasskey={onPasskey} />}
      </section>
    );
  }
  const phoneNumber = state.phoneNumber;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onConfirm(code.trim());
    setCode("");
  };
  const resendReady = canResend(state, now);
  return (
    <section id="enroll-code" aria-labelledby="enroll-code-heading">
      <StepHeading>
        <span id="enroll-code-heading">{t("enrollCodeTitle")}</span>
      </StepHeading>
      <p id="enroll-sent">{t("enrollSent", { phone: phoneNumber })}</p>
      <form onSubmit={submit} aria-busy={pending}>
        <label htmlFor="enroll-code-input">{t("enrollCodeLabel")}</label>
        <input
          id="enroll-code-input"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <div className="buttons">
          <button type="submit" disabled={pending}>
            {t("confirm")}
          </button>
        </div>
      </form>
      <p className="hint">
        {now < state.expiresAt ? (
          <Countdown deadline={state.expiresAt} now={now} render={(time) => t("expiresIn", { time })} />
        ) : (
          <span aria-live="polite">{t("enrollExpired")}</span>
        )}
      </p>
      <div className="buttons">
        <button type="button" className="secondary" disabled={pending || !resendReady} onClick={() => onSend(phoneNumber)}>
          {t("sendSMSAgain")}
        </button>
        <button type="button" className="secondary" disabled={pending} onClick={onChangeNumber}>
          {t("changeNumber")}
        </button>
      </div>
      {!resendReady && (
        <p className="hint">
          <Countdown deadline={state.resendAt} now={now} render={(time) => t("resendIn", { time })} />
        </p>
      )}
    </section>
  );
}
