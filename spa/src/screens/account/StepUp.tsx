// The step-up prompt: check a second factor again (stepUpBegin, then
// stepUpComplete with a code or a passkey) without leaving the page. On
// success the new access token is kept and the page retries its action.
import { useState, type FormEvent } from "react";

import { client } from "../../api";
import { setAccessToken } from "../../auth/tokens";
import { describe, type Problem } from "../../errors";
import {
  ResendCodeDocument,
  StepUpBeginDocument,
  StepUpCompleteDocument,
  type ChallengeFragment,
} from "../../generated/graphql";
import type { TwoFactorMethod } from "../../generated/schema";
import { t, type Key } from "../../i18n";
import { ErrorBox, Pending } from "../../ui";
import { getPasskey, type WebAuthnJSON } from "../../webauthn";
import { Modal } from "./Dialog";

const LABEL: Record<TwoFactorMethod, Key> = {
  SMS: "accStepUpSms",
  CALL: "accStepUpCall",
  TOTP: "accStepUpTotp",
  RECOVERY_CODE: "accStepUpRecovery",
  PASSKEY: "accStepUpPasskey",
};

export function StepUpDialog({ methods, onDone }: { methods: TwoFactorMethod[]; onDone: (ok: boolean) => void }) {
  const [challenge, setChallenge] = useState<ChallengeFragment | null>(null);
  const [method, setMethod] = useState<TwoFactorMethod | null>(null);
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pending, setPending] = useState(false);
  const [note, setNote] = useState("");

  const run = async (call: () => Promise<void>) => {
    setPending(true);
    setProblem(null);
    try {
      await call();
    } catch (error) {
      setProblem(describe(error));
    } finally {
      setPending(false);
    }
  };

  const complete = async (found: ChallengeFragment, variables: { code?: string; credential?: WebAuthnJSON }) => {
    const { data } = await client.mutate({
      mutation: StepUpCompleteDocument,
      variables: { challenge: found.challenge, method: variables.credential ? "PASSKEY" : method, ...variables },
    });
    setAccessToken(data?.stepUpComplete?.token ?? null);
    onDone(true);
  };

  const begin = (chosen: TwoFactorMethod) =>
    run(async () => {
      setMethod(chosen);
      setCode("");
      const { data } = await client.mutate({ mutation: StepUpBeginDocument, variables: { method: chosen } });
      const found = data?.stepUpBegin ?? null;
      setChallenge(found);
      setNote(found?.message ?? "");
      if (found && chosen === "PASSKEY") {
        await complete(found, { credential: await getPasskey(found.passkeyOptions as WebAuthnJSON) });
      }
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!challenge) return;
    void run(() => complete(challenge, { code: code.trim() }));
  };

  const resend = () =>
    run(async () => {
      if (!challenge) return;
      await client.mutate({
        mutation: ResendCodeDocument,
        variables: { challenge: challenge.challenge, channel: method === "CALL" ? "CALL" : "SMS" },
      });
      setNote(t("accStepUpResent"));
    });

  const offered = methods.filter((m) => m in LABEL);
  const codeMethod = challenge && method && method !== "PASSKEY";
  return (
    <Modal id="step-up" title={t("accStepUpTitle")} onCancel={() => onDone(false)}>
      <p>{t("accStepUpBody")}</p>
      <ErrorBox problem={problem} />
      <Pending pending={pending} />
      <div className="buttons" role="group" aria-label={t("accStepUpMethods")}>
        {offered.map((m) => (
          <button
            key={m}
            type="button"
            className={m === method ? "" : "secondary"}
            aria-pressed={m === method}
            disabled={pending}
            onClick={() => void begin(m)}
          >
            {t(LABEL[m])}
          </button>
        ))}
      </div>
      {codeMethod && (
        <form onSubmit={submit} aria-busy={pending}>
          {note && <p role="status">{note}</p>}
          <label htmlFor="step-up-code">{t(method === "RECOVERY_CODE" ? "accRecoveryCodeLabel" : "accCodeLabel")}</label>
          <input
            id="step-up-code"
            name="code"
            autoComplete="one-time-code"
            inputMode={method === "RECOVERY_CODE" ? "text" : "numeric"}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <div className="buttons">
            <button type="submit" disabled={pending}>
              {t("accStepUpConfirm")}
            </button>
            {(method === "SMS" || method === "CALL") && (
              <button type="button" className="secondary" disabled={pending} onClick={() => void resend()}>
                {t("accResend")}
              </button>
            )}
          </div>
        </form>
      )}
      <div className="buttons">
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          {t("accCancel")}
        </button>
      </div>
    </Modal>
  );
}
