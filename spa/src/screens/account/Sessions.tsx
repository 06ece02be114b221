// The sessions section: where the user is signed in, and signing out one
// session or all of them (this one included, which ends the page).
import { client } from "../../api";
import { setAccessToken } from "../../auth/tokens";
import { RevokeSessionDocument, SignOutEverywhereDocument } from "../../generated/graphql";
import { t } from "../../i18n";
import { when, type Common } from "./common";
import { ConfirmedButton } from "./Dialog";

export function Sessions({ me, pending, act, mutate, ask, onSignedOut }: Common & { onSignedOut: () => void }) {
  return (
    <section aria-labelledby="acc-sessions" className="card">
      <h3 id="acc-sessions">{t("accSessionsTitle")}</h3>
      <ul className="sessions">
        {me.sessions.map((s) => (
          <li key={s.id}>
            <p>
              <strong>{s.current ? t("accSessionThis") : t(s.clientKind === "APP" ? "accSessionApp" : "accSessionBrowser")}</strong>
              {" · "}
              {t("accSessionStarted", { when: when(s.startedAt) })}
              {s.clientNetwork ? ` · ${t("accSessionNetwork", { network: s.clientNetwork })}` : ""}
            </p>
            <button
              type="button"
              className="secondary"
              disabled={pending}
              aria-label={s.current ? t("accSignOutThisCurrent") : t("accSignOutThisOne", { when: when(s.startedAt) })}
              onClick={async () => {
                const ok = await act(
                  () => mutate(client.mutate({ mutation: RevokeSessionDocument, variables: { id: s.id } })),
                  t("accSessionRevoked"),
                );
                if (ok && s.current) {
                  setAccessToken(null);
                  onSignedOut();
                }
              }}
            >
              {t("accSignOutThis")}
            </button>
          </li>
        ))}
      </ul>
      <ConfirmedButton
        label={t("accSignOutEverywhere")}
        question={t("accSignOutEverywhereConfirm")}
        pending={pending}
        ask={ask}
        onConfirmed={async () => {
          const ok = await act(() => mutate(client.mutate({ mutation: SignOutEverywhereDocument })), "");
          if (ok) {
            setAccessToken(null);
            onSignedOut();
          }
        }}
      />
    </section>
  );
}
