// The preferred method: the factor a login challenge starts with, chosen
// among the user's methods (a recovery code is never the first offer).
import { useState } from "react";

import { client } from "../../api";
import { SetPreferredMethodDocument } from "../../generated/graphql";
import type { TwoFactorMethod } from "../../generated/schema";
import { t } from "../../i18n";
import { METHOD, type Common } from "./common";

export function Preferred({ me, pending, act, mutate }: Common) {
  const choices = me.twoFactor.methods.filter((m) => m !== "RECOVERY_CODE");
  const [method, setMethod] = useState<TwoFactorMethod>(me.twoFactor.preferredMethod ?? choices[0]);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void act(
          () => mutate(client.mutate({ mutation: SetPreferredMethodDocument, variables: { method } })),
          t("accPreferredSaved", { method: t(METHOD[method]) }),
        );
      }}
    >
      <label htmlFor="acc-preferred-method">{t("accPreferredLabel")}</label>
      <select id="acc-preferred-method" value={method} onChange={(e) => setMethod(e.target.value as TwoFactorMethod)}>
        {choices.map((m) => (
          <option key={m} value={m}>
            {t(METHOD[m])}
          </option>
        ))}
      </select>
      <div className="buttons">
        <button type="submit" disabled={pending}>
          {t("accSave")}
        </button>
      </div>
    </form>
  );
}
