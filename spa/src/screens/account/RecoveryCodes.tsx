// Recovery codes: the section that (re)generates them, and the one-time view
// of a fresh set with copy and download. The page holds the fresh set, so the
// view opens where the page's dialogs are.
import { useState } from "react";

import { client } from "../../api";
import { GenerateRecoveryCodesDocument } from "../../generated/graphql";
import { t } from "../../i18n";
import type { Common } from "./common";
import { Modal } from "./Dialog";

export function Recovery({ me, pending, act, mutate, ask, onCodes }: Common & { onCodes: (codes: string[]) => void }) {
  const tf = me.twoFactor;
  return (
    <section aria-labelledby="acc-recovery" className="card">
      <h3 id="acc-recovery">{t("accRecoveryTitle")}</h3>
      <p id="recovery-left">{t("accRecoveryLeft", { n: tf.recoveryCodesRemaining })}</p>
      <button
        type="button"
        disabled={pending || !tf.enabled}
        onClick={async () => {
          if (tf.recoveryCodesRemaining > 0 && !(await ask(t("accRecoveryRegenerateConfirm"), t("accRecoveryRegenerate"))))
            return;
          await act(async () => {
            const data = await mutate(client.mutate({ mutation: GenerateRecoveryCodesDocument }));
            onCodes(data?.generateRecoveryCodes?.codes ?? []);
          }, t("accRecoveryDone"));
        }}
      >
        {tf.recoveryCodesRemaining > 0 ? t("accRecoveryRegenerate") : t("accRecoveryGenerate")}
      </button>
    </section>
  );
}

export function RecoveryCodes({ codes, onClose }: { codes: string[]; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const text = codes.join("\n") + "\n";
  return (
    <Modal id="recovery-codes" title={t("accRecoveryShownTitle")} onCancel={onClose}>
      <p>{t("accRecoveryShownBody")}</p>
      <ol className="codes" aria-label={t("accRecoveryTitle")}>
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="buttons">
        <button
          type="button"
          className="secondary"
          onClick={async () => {
            await navigator.clipboard.writeText(text);
            setCopied(true);
          }}
        >
          {t("accCopy")}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
            const link = document.createElement("a");
            link.href = url;
            link.download = "pollstr-recovery-codes.txt";
            link.click();
            window.setTimeout(() => URL.revokeObjectURL(url), 1000);
          }}
        >
          {t("accDownload")}
        </button>
        <button type="button" onClick={onClose}>
          {t("accSaved")}
        </button>
      </div>
      <p role="status">{copied ? t("accCopied") : ""}</p>
    </Modal>
  );
}
