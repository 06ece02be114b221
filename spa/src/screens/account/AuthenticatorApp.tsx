// The authenticator app section: set up or replace the TOTP secret (the
// server's QR code and the key, then a first code to confirm it) or remove it.
import { useEffect, useRef, useState, type FormEvent } from "react";

import { groupKey } from "../../account/stepup";
import { client } from "../../api";
import { ConfirmTotpDocument, RemoveTotpDocument, SetupTotpDocument } from "../../generated/graphql";
import { t } from "../../i18n";
import type { Common } from "./common";
import { ConfirmedButton } from "./Dialog";

export function AuthenticatorApp({ me, pending, act, mutate, ask }: Common) {
  const [setup, setSetup] = useState<{ secret: string; qrCodeSvg: string } | null>(null);
  const [code, setCode] = useState("");
  const [copied, setCopied] = useState(false);
  const hasApp = me.twoFactor.methods.includes("TOTP");
  const qr = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The server's SVG (segno: presentation attributes only, no style or
    // script), so the page's CSP `default-src 'self'` lets it render inline.
    if (qr.current) qr.current.innerHTML = setup?.qrCodeSvg ?? "";
  }, [setup]);

  const confirmCode = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await act(
      () =>
        mutate(client.mutate({ mutation: ConfirmTotpDocument, variables: { code: code.trim() } })).then(
          (d) => d?.confirmTotp,
        ),
      t("accAppSaved"),
    );
    if (ok) {
      setSetup(null);
      setCode("");
    }
  };
  return (
    <section aria-labelledby="acc-app" className="card">
      <h3 id="acc-app">{t("accMethodTotp")}</h3>
      <p>{hasApp ? t("accAppOn") : t("accAppOff")}</p>
      {!setup && (
        <div className="buttons">
          <button
            type="button"
            disabled={pending}
            onClick={() =>
              act(async () => {
                const data = await mutate(client.mutate({ mutation: SetupTotpDocument }));
                setSetup(data?.setupTotp ?? null);
              }, t("accAppScan"))
            }
          >
            {hasApp ? t("accAppReplace") : t("accAppSetUp")}
          </button>
          {hasApp && (
            <ConfirmedButton
              label={t("accAppRemove")}
              question={t("accAppRemoveConfirm")}
              pending={pending}
              ask={ask}
              onConfirmed={() =>
                act(
                  () => mutate(client.mutate({ mutation: RemoveTotpDocument })).then((d) => d?.removeTotp),
                  t("accAppRemoved"),
                )
              }
            />
          )}
        </div>
      )}
      {setup && (
        <form onSubmit={confirmCode} aria-busy={pending}>
          <p>{t("accAppScan")}</p>
          <div className="qr" ref={qr} role="img" aria-label={t("accAppQr")} />
          <p>
            {t("accAppKey")} <code id="totp-key">{groupKey(setup.secret)}</code>{" "}
            <button
              type="button"
              className="secondary"
              onClick={async () => {
                await navigator.clipboard.writeText(setup.secret);
                setCopied(true);
              }}
            >
              {t("accCopyKey")}
            </button>
            <span role="status">{copied ? t("accCopied") : ""}</span>
          </p>
          <label htmlFor="acc-app-code">{t("accCodeLabel")}</label>
          <input
            id="acc-app-code"
            autoComplete="one-time-code"
            inputMode="numeric"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <div className="buttons">
            <button type="submit" disabled={pending}>
              {t("accAppConfirm")}
            </button>
            <button type="button" className="secondary" onClick={() => setSetup(null)}>
              {t("accCancel")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
