// The phone section: add, change (a code sent by SMS or call, then confirmed)
// or remove the number that receives codes.
import { useState, type FormEvent } from "react";

import { client } from "../../api";
import { RegisterPhoneDocument, RemovePhoneDocument, VerifyPhoneDocument } from "../../generated/graphql";
import { t } from "../../i18n";
import type { Common } from "./common";
import { ConfirmedButton } from "./Dialog";

export function Phone({ me, pending, act, mutate, ask }: Common) {
  const [editing, setEditing] = useState(false);
  const [number, setNumber] = useState("");
  const [channel, setChannel] = useState<"SMS" | "CALL">("SMS");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const phone = me.twoFactor.phoneNumber;

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const to = number.trim();
    if (
      await act(
        () => mutate(client.mutate({ mutation: VerifyPhoneDocument, variables: { phoneNumber: to, channel } })),
        t("enrollSent", { phone: to }),
      )
    )
      setSentTo(to);
  };
  const confirmCode = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await act(
      () =>
        mutate(
          client.mutate({ mutation: RegisterPhoneDocument, variables: { phoneNumber: sentTo ?? "", code: code.trim() } }),
        ).then((d) => d?.registerPhone),
      t("accPhoneSaved"),
    );
    if (ok) {
      setEditing(false);
      setSentTo(null);
      setCode("");
      setNumber("");
    }
  };
  return (
    <section aria-labelledby="acc-phone" className="card">
      <h3 id="acc-phone">{t("accPhone")}</h3>
      <p>{phone ? t("accPhoneIs", { phone }) : t("accPhoneNone")}</p>
      {!editing && (
        <div className="buttons">
          <button type="button" disabled={pending} onClick={() => setEditing(true)}>
            {phone ? t("accPhoneChange") : t("accPhoneAdd")}
          </button>
          {phone && (
            <ConfirmedButton
              label={t("accPhoneRemove")}
              question={t("accPhoneRemoveConfirm")}
              pending={pending}
              ask={ask}
              onConfirmed={() =>
                act(
                  () => mutate(client.mutate({ mutation: RemovePhoneDocument })).then((d) => d?.removePhone),
                  t("accPhoneRemoved"),
                )
              }
            />
          )}
        </div>
      )}
      {editing && sentTo === null && (
        <form onSubmit={send} aria-busy={pending}>
          <label htmlFor="acc-phone-number">{t("phone")}</label>
          <input
            id="acc-phone-number"
            type="tel"
            autoComplete="tel"
            aria-describedby="acc-phone-hint"
            required
            value={number}
            onChange={(e) => setNumber(e.target.value)}
          />
          <p id="acc-phone-hint" className="hint">
            {t("phoneHint")}
          </p>
          <fieldset>
            <legend>{t("accPhoneChannel")}</legend>
            {(["SMS", "CALL"] as const).map((c) => (
              <label key={c} className="choice">
                <input type="radio" name="acc-channel" checked={channel === c} onChange={() => setChannel(c)} />{" "}
                {t(c === "SMS" ? "accMethodSms" : "accMethodCall")}
              </label>
            ))}
          </fieldset>
          <div className="buttons">
            <button type="submit" disabled={pending}>
              {t("sendCode")}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              {t("accCancel")}
            </button>
          </div>
        </form>
      )}
      {editing && sentTo !== null && (
        <form onSubmit={confirmCode} aria-busy={pending}>
          <label htmlFor="acc-phone-code">{t("accCodeLabel")}</label>
          <input
            id="acc-phone-code"
            autoComplete="one-time-code"
            inputMode="numeric"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <div className="buttons">
            <button type="submit" disabled={pending}>
              {t("accPhoneConfirm")}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setSentTo(null);
                setCode("");
              }}
            >
              {t("changeNumber")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
