// The account security page (#/account): the user's factors, recovery codes,
// preferred method, password, sessions and security events. Every action goes
// through `act`: pending state, the step-up prompt when the server asks for a
// fresh second factor (then the action once more), the new access token when
// the answer carries one, the error box or a status line, and a reload.
import { CombinedGraphQLErrors } from "@apollo/client";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";

import { StepUpCancelled, groupKey, withStepUp } from "../../account/stepup";
import { client } from "../../api";
import { setAccessToken } from "../../auth/tokens";
import { describe, type Problem } from "../../errors";
import {
  AccountEventsDocument,
  AccountOverviewDocument,
  ChangePasswordDocument,
  ConfirmTotpDocument,
  DisableTwoFactorDocument,
  GenerateRecoveryCodesDocument,
  PasskeyRegistrationBeginDocument,
  PasskeyRegistrationCompleteDocument,
  PasskeyRemoveDocument,
  PasskeyRenameDocument,
  RegisterPhoneDocument,
  RemovePhoneDocument,
  RemoveTotpDocument,
  RevokeSessionDocument,
  SetPreferredMethodDocument,
  SetupTotpDocument,
  SignOutEverywhereDocument,
  VerifyPhoneDocument,
  type AccountEventsQuery,
  type AccountOverviewQuery,
} from "../../generated/graphql";
import type { SecurityEventKind, TwoFactorMethod } from "../../generated/schema";
import { currentLanguage, t, type Key } from "../../i18n";
import { ErrorBox, Pending, StepHeading } from "../../ui";
import { createPasskey, type WebAuthnJSON } from "../../webauthn";
import { ConfirmDialog, Modal } from "./Dialog";
import { StepUpDialog } from "./StepUp";

type Overview = NonNullable<AccountOverviewQuery["me"]>;
type EventEdge = NonNullable<AccountEventsQuery["me"]>["securityEvents"]["edges"][number];

const METHOD: Record<TwoFactorMethod, Key> = {
  SMS: "accMethodSms",
  CALL: "accMethodCall",
  TOTP: "accMethodTotp",
  PASSKEY: "accMethodPasskey",
  RECOVERY_CODE: "accMethodRecovery",
};

function when(value: unknown): string {
  if (!value) return t("accNever");
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(String(value)),
  );
}

// Every kind has a sentence: a kind the schema adds and i18n.ts lacks fails tsc.
function eventLabel(kind: SecurityEventKind): string {
  const key: `accEvent_${SecurityEventKind}` = `accEvent_${kind}`;
  return t(key);
}

// Field errors of changePassword: `extensions.fields`, per argument.
function fieldErrors(error: unknown): Record<string, string[]> {
  if (!CombinedGraphQLErrors.is(error)) return {};
  return ((error.errors[0]?.extensions?.fields ?? {}) as Record<string, string[]>) || {};
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
      <App {...common} />
      <Passkeys {...common} />

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
              setCodes(data?.generateRecoveryCodes?.codes ?? []);
            }, t("accRecoveryDone"));
          }}
        >
          {tf.recoveryCodesRemaining > 0 ? t("accRecoveryRegenerate") : t("accRecoveryGenerate")}
        </button>
      </section>

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
        <button
          type="button"
          className="danger"
          disabled={pending}
          onClick={async () => {
            if (!(await ask(t("accSignOutEverywhereConfirm"), t("accSignOutEverywhere")))) return;
            const ok = await act(() => mutate(client.mutate({ mutation: SignOutEverywhereDocument })), "");
            if (ok) {
              setAccessToken(null);
              onSignedOut();
            }
          }}
        >
          {t("accSignOutEverywhere")}
        </button>
      </section>

      {tf.enabled && (
        <section aria-labelledby="acc-off" className="card">
          <h3 id="acc-off">{t("accOffTitle")}</h3>
          <p>{t("accOffBody")}</p>
          <button
            type="button"
            className="danger"
            disabled={pending}
            onClick={async () => {
              if (!(await ask(t("accOffConfirm"), t("accOffAction")))) return;
              await act(() => mutate(client.mutate({ mutation: DisableTwoFactorDocument })).then((d) => d?.disableTwoFactor), t("accOffDone"));
            }}
          >
            {t("accOffAction")}
          </button>
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

interface Common {
  me: Overview;
  pending: boolean;
  act: (action: () => Promise<unknown>, done: string, onError?: (error: unknown) => boolean) => Promise<boolean>;
  mutate: <T>(call: Promise<{ data?: T | null }>) => Promise<T | null | undefined>;
  ask: (text: string, action: string) => Promise<boolean>;
}

function Phone({ me, pending, act, mutate, ask }: Common) {
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
            <button
              type="button"
              className="danger"
              disabled={pending}
              onClick={async () => {
                if (!(await ask(t("accPhoneRemoveConfirm"), t("accPhoneRemove")))) return;
                await act(
                  () => mutate(client.mutate({ mutation: RemovePhoneDocument })).then((d) => d?.removePhone),
                  t("accPhoneRemoved"),
                );
              }}
            >
              {t("accPhoneRemove")}
            </button>
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

function App({ me, pending, act, mutate, ask }: Common) {
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
            <button
              type="button"
              className="danger"
              disabled={pending}
              onClick={async () => {
                if (!(await ask(t("accAppRemoveConfirm"), t("accAppRemove")))) return;
                await act(
                  () => mutate(client.mutate({ mutation: RemoveTotpDocument })).then((d) => d?.removeTotp),
                  t("accAppRemoved"),
                );
              }}
            >
              {t("accAppRemove")}
            </button>
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

function Passkeys({ me, pending, act, mutate, ask }: Common) {
  const [name, setName] = useState("");
  const [renaming, setRenaming] = useState<string | null>(null);
  const [newName, setNewName] = useState("");
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = name.trim();
    const ok = await act(async () => {
      const begun = await mutate(client.mutate({ mutation: PasskeyRegistrationBeginDocument }));
      const credential = await createPasskey(begun?.passkeyRegistrationBegin?.options as WebAuthnJSON);
      const done = await mutate(
        client.mutate({ mutation: PasskeyRegistrationCompleteDocument, variables: { name: chosen, credential } }),
      );
      return done?.passkeyRegistrationComplete;
    }, t("accPasskeyAdded", { name: chosen }));
    if (ok) setName("");
  };
  return (
    <section aria-labelledby="acc-passkeys" className="card">
      <h3 id="acc-passkeys">{t("accPasskeysTitle")}</h3>
      {me.twoFactor.passkeys.length === 0 && <p>{t("accPasskeysNone")}</p>}
      <ul className="passkeys">
        {me.twoFactor.passkeys.map((p) => (
          <li key={p.id}>
            {renaming === p.id ? (
              <form
                onSubmit={async (event) => {
                  event.preventDefault();
                  const ok = await act(
                    () =>
                      mutate(
                        client.mutate({ mutation: PasskeyRenameDocument, variables: { id: p.id, name: newName.trim() } }),
                      ),
                    t("accPasskeyRenamed", { name: newName.trim() }),
                  );
                  if (ok) setRenaming(null);
                }}
              >
                <label htmlFor={`rename-${p.id}`}>{t("accPasskeyNewName")}</label>
                <input
                  id={`rename-${p.id}`}
                  required
                  maxLength={64}
                  value={newName}
                  onChange={(e) => setNewName(e.target.value)}
                />
                <div className="buttons">
                  <button type="submit" disabled={pending}>
                    {t("accSave")}
                  </button>
                  <button type="button" className="secondary" onClick={() => setRenaming(null)}>
                    {t("accCancel")}
                  </button>
                </div>
              </form>
            ) : (
              <>
                <p>
                  <strong>{p.name}</strong> · {t("accAdded", { when: when(p.createdAt) })} ·{" "}
                  {t("accLastUsed", { when: when(p.lastUsedAt) })}
                </p>
                <div className="buttons">
                  <button
                    type="button"
                    className="secondary"
                    disabled={pending}
                    aria-label={t("accPasskeyRenameNamed", { name: p.name })}
                    onClick={() => {
                      setRenaming(p.id);
                      setNewName(p.name);
                    }}
                  >
                    {t("accPasskeyRename")}
                  </button>
                  <button
                    type="button"
                    className="danger"
                    disabled={pending}
                    aria-label={t("accPasskeyRemoveNamed", { name: p.name })}
                    onClick={async () => {
                      if (!(await ask(t("accPasskeyRemoveConfirm", { name: p.name }), t("accPasskeyRemove")))) return;
                      await act(
                        () =>
                          mutate(client.mutate({ mutation: PasskeyRemoveDocument, variables: { id: p.id } })).then(
                            (d) => d?.passkeyRemove,
                          ),
                        t("accPasskeyRemoved", { name: p.name }),
                      );
                    }}
                  >
                    {t("accPasskeyRemove")}
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={add} aria-busy={pending}>
        <label htmlFor="acc-passkey-name">{t("accPasskeyName")}</label>
        <input
          id="acc-passkey-name"
          required
          maxLength={64}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="buttons">
          <button type="submit" disabled={pending}>
            {t("accPasskeyAdd")}
          </button>
        </div>
      </form>
    </section>
  );
}

function Preferred({ me, pending, act, mutate }: Common) {
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

function ChangePassword({ pending, act, mutate }: Common) {
  const [oldPassword, setOld] = useState("");
  const [newPassword, setNew] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    const ok = await act(
      () =>
        mutate(client.mutate({ mutation: ChangePasswordDocument, variables: { oldPassword, newPassword } })).then(
          (d) => d?.changePassword,
        ),
      t("accPasswordChanged"),
      (error) => {
        const fields = fieldErrors(error);
        if (Object.keys(fields).length === 0) return false;
        setErrors(fields);
        return true;
      },
    );
    if (ok) {
      setOld("");
      setNew("");
    }
  };
  const field = (id: string, key: string, label: Key, value: string, set: (v: string) => void, auto: string) => (
    <>
      <label htmlFor={id}>{t(label)}</label>
      <input
        id={id}
        type="password"
        autoComplete={auto}
        required
        value={value}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `${id}-error` : undefined}
        onChange={(e) => set(e.target.value)}
      />
      {errors[key] && (
        <p id={`${id}-error`} className="field-error">
          <span aria-hidden="true">⚠ </span>
          {errors[key].join(" ")}
        </p>
      )}
    </>
  );
  return (
    <form onSubmit={submit} aria-busy={pending}>
      {field("acc-old-password", "oldPassword", "accPasswordOld", oldPassword, setOld, "current-password")}
      {field("acc-new-password", "newPassword", "accPasswordNew", newPassword, setNew, "new-password")}
      <div className="buttons">
        <button type="submit" disabled={pending}>
          {t("accPasswordChange")}
        </button>
      </div>
    </form>
  );
}

function RecoveryCodes({ codes, onClose }: { codes: string[]; onClose: () => void }) {
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
