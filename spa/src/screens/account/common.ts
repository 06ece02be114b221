// What the account page's sections share: the props each one gets from the
// page (its data and the act/mutate/ask plumbing), the method labels, the
// date format and the field errors of a form mutation.
import { CombinedGraphQLErrors } from "@apollo/client";

import type { AccountOverviewQuery } from "../../generated/graphql";
import type { TwoFactorMethod } from "../../generated/schema";
import { currentLanguage, t, type Key } from "../../i18n";

export type Overview = NonNullable<AccountOverviewQuery["me"]>;

export const METHOD: Record<TwoFactorMethod, Key> = {
  SMS: "accMethodSms",
  CALL: "accMethodCall",
  TOTP: "accMethodTotp",
  PASSKEY: "accMethodPasskey",
  RECOVERY_CODE: "accMethodRecovery",
};

export function when(value: unknown): string {
  if (!value) return t("accNever");
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(String(value)),
  );
}

// Field errors of changePassword: `extensions.fields`, per argument.
export function fieldErrors(error: unknown): Record<string, string[]> {
  if (!CombinedGraphQLErrors.is(error)) return {};
  return ((error.errors[0]?.extensions?.fields ?? {}) as Record<string, string[]>) || {};
}

// The page's plumbing a section acts through: `act` runs one action (pending
// state, step-up, token, error or status line, reload), `ask` confirms first.
export interface Common {
  me: Overview;
  pending: boolean;
  act: (action: () => Promise<unknown>, done: string, onError?: (error: unknown) => boolean) => Promise<boolean>;
  mutate: <T>(call: Promise<{ data?: T | null }>) => Promise<T | null | undefined>;
  ask: (text: string, action: string) => Promise<boolean>;
}
