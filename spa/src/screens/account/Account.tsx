// The account security page (#/account): the user's factors, recovery codes,
// preferred method, password, sessions and security events. Every action goes
// through `act`: pending state, the step-up prompt when the server asks for a
// fresh second factor (then the action once more), the new access token when
// the answer carries one, the error box or a status line, and a reload.
import { useCallback, useEffect, useRef, useState } from "react";

import { StepUpCancelled, withStepUp } from "../../account/stepup";
import { client } from "../../api";
import { setAccessToken } from "../../auth/tokens";
import { describe, type Problem } from "../../errors";
import {
  AccountEventsDocument,
  AccountOverviewDocument,
  DisableTwoFactorDocument,
  type AccountEventsQuery,
} from "../../generated/graphql";
import type { SecurityEventKind } from "../../generated/schema";
import { t } from "../../i18n";
import { ErrorBox, Pending, StepHeading } from "../../ui";
import { AuthenticatorApp } from "./AuthenticatorApp";
import { METHOD, when, type Overview } from "./common";
import { ConfirmDialog, ConfirmedButton } from "./Dialog";
import { Passkeys } from "./Passkeys";
import { ChangePassword } from "./Password";
import { Phone } from "./Phone";
import { Preferred } from "./Preferred";
import { Recovery, RecoveryCodes } from "./RecoveryCodes";
import { Sessions } from "./Sessions";
import { StepUpDialog } from "./StepUp";

type EventEdge = NonNullable<AccountEventsQuery["me"]>["securityEvents"]["edges"][number];

// Every kind has a sentence: a kind the schema adds and i18n.ts lacks fails tsc.
function eventLabel(kind: SecurityEventKind): string {
  const key: `accEvent_${SecurityEventKind}` = `accEvent_${kind}`;
  return t(key);
}

interface Props {
  onBack: () => void;
  onSignedOut: () => void;
}

export function Account({ onBack, onSignedOut }: Props) {
  const [me, setMe] = useState<Overview | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState("");
  const [pending, setPending] = useState(false);
  const [stepUp, setStepUp] = useState<((ok: boolean) => void) | null>(null);
  const [confirm, setConfirm] = useState<{ text: string; action: string; resolve: (yes: boolean) => void } | null>(
    null,
  );
  const [codes, setCodes] = useState<string[] | null>(null);
  const [events, setEvents] = useState<EventEdge[]>([]);
  const [eventsEnd, setEventsEnd] = useState<string | null>(null);
  const [eventsMore, setEventsMore] = useState(false);

  const load = useCallback(async () => {
    const { data } = await client.query({ query: AccountOverviewDocument, fetchPolicy: "network-only" });
    setMe(data?.me ?? null);
    const found = await client.query({ query: AccountEventsDocument, variables: { first: 10 }, fetchPolicy: "network-only" });
    const page = found.data?.me?.securityEvents;
    setEvents(page?.edges ?? []);
    setEventsEnd(page?.pageInfo.endCursor ?? null);
    setEventsMore(page?.pageInfo.hasNextPage ?? false);
  }, []);

  // The parent's callback changes with every render of App (its clock ticks);
  // the page loads once, so it reads the latest through a ref.
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;
  const fail = useCallback((error: unknown) => {
    const found = describe(error);
    if (found.code === "UNAUTHENTICATED" || found.code === "INVALID_REFRESH_TOKEN") {
      setAccessToken(null);
      signedOut.current();
      return;
    }
    setProblem(found);
  }, []);

  useEffect(() => {
    load().catch(fail);
  }, [load, fail]);

  const prompt = () => new Promise<boolean>((resolve) => setStepUp(() => resolve));
  const askedFrom = useRef<HTMLElement | null>(null);
  const ask = (text: string, action: string) => {
    askedFrom.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return new Promise<boolean>((resolve) => setConfirm({ text, action, resolve }));
  };

  // The control an action started from: disabled while it runs, it loses
  // focus; given back afterwards unless something else (the error box) took it.
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (pending) return;
    const found = opener.current;
    opener.current = null;
    if (found?.isConnected && (document.activeElement === document.body || document.activeElement === null)) {
      found.focus();
    }
  }, [pending]);

  // One action: returns true when it went through.
  const act = async (action: () => Promise<unknown>, done: string, onError?: (error: unknown) => boolean) => {
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // Confirmed in a dialog: the control that asked is the one to come back to.
    opener.current = active?.closest("dialog") ? askedFrom.current : active;
    setPending(true);
    setProblem(null);
    setStatus("");
    try {
      const result = (await withStepUp(action, prompt)) as { token?: string } | undefined;
      if (result && typeof result.token === "string") setAccessToken(result.token);
      await load();
      setStatus(done);
      return true;
    } catch (error) {
      if (!(error instanceof StepUpCancelled) && !onError?.(error)) fail(error);
      return false;
    } finally {
      setPending(false);
    }
  };

  const mutate = async <T,>(call: Promise<{ data?: T | null }>) => (await call).data;

  if (!me) {
    return (
      <section id="account" aria-labelledby="account-heading">
        <StepHeading>
          <span id="account-heading">{t("accTitle")}</span>
        </StepHeading>
        <ErrorBox problem={problem} />
        {!problem && <p role="status">{t("loading")}</p>}
        <button type="button" className="secondary" onClick={onBack}>
          {t("accBack")}
        </button>
      </section>
    );
  }

  const tf = me.twoFactor;
  const common = { me, pending, act, mutate, ask };

  return (
    <section id="account" aria-labelledby="account-heading">
      <StepHeading>
        <span id="account-heading">{t("accTitle")}</span>
      </StepHeading>
      <div className="whoami">
        <p>{t("signedInAs", { username: me.username })}</p>
        <button type="button" className="secondary" onClick={onBack}>
          {t("accBack")}
        </button>
      </div>
      <ErrorBox problem={problem} />
      <Pending pending={pending} />
      <p className="status" role="status" aria-live="polite">
        {status}
      </p>

      <section aria-labelledby="acc-factors" className="card">
        <h3 id="acc-factors">{t("accFactors")}</h3>
        <p>{tf.enabled ? t("accTwoFactorOn") : t("accTwoFactorOff")}</p>
        <ul className="factors">
          <li>
            {t("accPhone")}:{" "}
            {tf.phone
              ? `${tf.phone.number} · ${t("accAdded", { when: when(tf.phone.addedAt) })} · ${t("accLastUsed", { when: when(tf.phone.lastUsedAt) })}`
              : t("accNotSet")}
          </li>
          <li>
            {t("accMethodTotp")}:{" "}
            {tf.authenticatorApp
              ? `${t("accSetUp")}${tf.authenticatorApp.addedAt ? ` · ${t("accAdded", { when: when(tf.authenticatorApp.addedAt) })}` : ""} · ${t("accLastUsed", { when: when(tf.authenticatorApp.lastUsedAt) })}`
              : t("accNotSet")}
          </li>
          {tf.passkeys.map((p) => (
            <li key={p.id}>
              {t("accMethodPasskey")} “{p.name}”: {t("accAdded", { when: when(p.createdAt) })} ·{" "}
              {t("accLastUsed", { when: when(p.lastUsedAt) })}
            </li>
          ))}
          <li>
            {t("accRecoveryLeft", { n: tf.recoveryCodesRemaining })}
            {tf.recoveryCodesCreatedAt ? ` · ${t("accRecoveryCreated", { when: when(tf.recoveryCodesCreatedAt) })}` : ""}
          </li>
        </ul>
      </section>

      <Phone {...common} />
      <AuthenticatorApp {...common} />
      <Passkeys {...common} />
      <Recovery {...common} onCodes={setCodes} />

      {tf.enabled && (
        <section aria-labelledby="acc-preferred" className="card">
          <h3 id="acc-preferred">{t("accPreferredTitle")}</h3>
          <Preferred {...common} />
        </section>
      )}

      <section aria-labelledby="acc-password" className="card">
        <h3 id="acc-password">{t("accPasswordTitle")}</h3>
        <ChangePassword {...common} />
      </section>

      <Sessions {...common} onSignedOut={onSignedOut} />

      {tf.enabled && (
        <section aria-labelledby="acc-off" className="card">
          <h3 id="acc-off">{t("accOffTitle")}</h3>
          <p>{t("accOffBody")}</p>
          <ConfirmedButton
            label={t("accOffAction")}
            question={t("accOffConfirm")}
            pending={pending}
            ask={ask}
            onConfirmed={() =>
              act(() => mutate(client.mutate({ mutation: DisableTwoFactorDocument })).then((d) => d?.disableTwoFactor), t("accOffDone"))
            }
          />
        </section>
      )}

      <section aria-labelledby="acc-events" className="card">
        <h3 id="acc-events">{t("accEventsTitle")}</h3>
        <ol className="events">
          {events.map((e) => (
            <li key={e.cursor}>
              <strong>{eventLabel(e.node.kind)}</strong> · {when(e.node.occurredAt)}
              {e.node.method ? ` · ${t(METHOD[e.node.method])}` : ""}
              {e.node.phoneNumber ? ` · ${e.node.phoneNumber}` : ""}
              {e.node.network ? ` · ${e.node.network}` : ""}
            </li>
          ))}
        </ol>
        {eventsMore && (
          <button
            type="button"
            className="secondary"
            disabled={pending}
            onClick={async () => {
              try {
                const found = await client.query({
                  query: AccountEventsDocument,
                  variables: { first: 10, after: eventsEnd },
                  fetchPolicy: "network-only",
                });
                const page = found.data?.me?.securityEvents;
                setEvents((old) => [...old, ...(page?.edges ?? [])]);
                setEventsEnd(page?.pageInfo.endCursor ?? null);
                setEventsMore(page?.pageInfo.hasNextPage ?? false);
              } catch (error) {
                fail(error);
              }
            }}
          >
            {t("accEventsMore")}
          </button>
        )}
      </section>

      {codes && <RecoveryCodes codes={codes} onClose={() => setCodes(null)} />}
      {confirm && (
        <ConfirmDialog
          text={confirm.text}
          action={confirm.action}
          onAnswer={(yes) => {
            confirm.resolve(yes);
            setConfirm(null);
          }}
        />
      )}
      {stepUp && (
        <StepUpDialog
          methods={tf.methods}
          onDone={(ok) => {
            stepUp(ok);
            setStepUp(null);
          }}
        />
      )}
    </section>
  );
}
