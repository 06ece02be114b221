// The password change form: the server's per-field errors (weak, wrong old
// password) shown under their fields rather than in the page's error box.
import { useState, type FormEvent } from "react";

import { client } from "../../api";
import { ChangePasswordDocument } from "../../generated/graphql";
import { t, type Key } from "../../i18n";
import { fieldErrors, type Common } from "./common";

export function ChangePassword({ pending, act, mutate }: Common) {
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
