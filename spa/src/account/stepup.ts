// Step-up in place: an action of the account page that the server refuses
// with TWO_FACTOR_REQUIRED and `extensions.stepUp: true` (the last code check
// is older than TWOFA_STEP_UP_MAX_AGE) opens a prompt for a second factor
// (screens/account/StepUp.tsx); once that succeeds the action runs again,
// once. A prompt that is cancelled leaves everything as it was.
import { CombinedGraphQLErrors } from "@apollo/client";

export class StepUpCancelled extends Error {
  constructor() {
    super("The step-up prompt was cancelled.");
    this.name = "StepUpCancelled";
  }
}

// Only the step-up gate's answer: a token without any second factor gets a
// TWO_FACTOR_REQUIRED without `stepUp`, which a code prompt cannot fix.
export function needsStepUp(error: unknown): boolean {
  return (
    CombinedGraphQLErrors.is(error) &&
    error.errors.some((e) => e.extensions?.code === "TWO_FACTOR_REQUIRED" && e.extensions?.stepUp === true)
  );
}

// Runs `action`; on a step-up answer asks `prompt` (true: the factor was
// checked again) and retries the action once. A second refusal, or any other
// error, is the caller's.
export async function withStepUp<T>(
  action: () => Promise<T>,
  prompt: () => Promise<boolean>,
  isStepUp: (error: unknown) => boolean = needsStepUp,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!isStepUp(error)) throw error;
    if (!(await prompt())) throw new StepUpCancelled();
    return await action();
  }
}

// "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": a key people can type.
export function groupKey(secret: string, size = 4): string {
  return (secret.replace(/\s+/g, "").match(new RegExp(`.{1,${size}}`, "g")) ?? []).join(" ");
}
