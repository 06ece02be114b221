// The passkeys section: list, add (a WebAuthn registration ceremony in the
// browser), rename and remove the user's passkeys.
import { useState, type FormEvent } from "react";

import { client } from "../../api";
import {
  PasskeyRegistrationBeginDocument,
  PasskeyRegistrationCompleteDocument,
  PasskeyRemoveDocument,
  PasskeyRenameDocument,
} from "../../generated/graphql";
import { t } from "../../i18n";
import { createPasskey, type WebAuthnJSON } from "../../webauthn";
import { when, type Common } from "./common";
import { ConfirmedButton } from "./Dialog";

export function Passkeys({ me, pending, act, mutate, ask }: Common) {
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
                  <ConfirmedButton
                    label={t("accPasskeyRemove")}
                    ariaLabel={t("accPasskeyRemoveNamed", { name: p.name })}
                    question={t("accPasskeyRemoveConfirm", { name: p.name })}
                    pending={pending}
                    ask={ask}
                    onConfirmed={() =>
                      act(
                        () =>
                          mutate(client.mutate({ mutation: PasskeyRemoveDocument, variables: { id: p.id } })).then(
                            (d) => d?.passkeyRemove,
                          ),
                        t("accPasskeyRemoved", { name: p.name }),
                      )
                    }
                  />
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
