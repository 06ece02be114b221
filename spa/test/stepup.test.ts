import { CombinedGraphQLErrors } from "@apollo/client";
import { describe, expect, it, vi } from "vitest";

import { StepUpCancelled, groupKey, needsStepUp, withStepUp } from "../src/account/stepup";

function graphQLError(extensions: Record<string, unknown>) {
  return new CombinedGraphQLErrors({ errors: [{ message: "no", extensions }] });
}

const stepUp = () => graphQLError({ code: "TWO_FACTOR_REQUIRED", stepUp: true });

describe("needsStepUp", () => {
  it("is true only for the step-up gate's answer", () => {
    expect(needsStepUp(stepUp())).toBe(true);
    expect(needsStepUp(graphQLError({ code: "TWO_FACTOR_REQUIRED" }))).toBe(false);
    expect(needsStepUp(graphQLError({ code: "UNAUTHENTICATED", stepUp: true }))).toBe(false);
    expect(needsStepUp(new Error("TWO_FACTOR_REQUIRED"))).toBe(false);
  });
});

describe("withStepUp", () => {
  it("runs the action once when it succeeds, without a prompt", async () => {
    const action = vi.fn().mockResolvedValue("done");
    const prompt = vi.fn();
    await expect(withStepUp(action, prompt)).resolves.toBe("done");
    expect(action).toHaveBeenCalledTimes(1);
    expect(prompt).not.toHaveBeenCalled();
  });

  it("prompts on a step-up answer, then retries the action once", async () => {
    const action = vi.fn().mockRejectedValueOnce(stepUp()).mockResolvedValueOnce("done");
    const prompt = vi.fn().mockResolvedValue(true);
    await expect(withStepUp(action, prompt)).resolves.toBe("done");
    expect(action).toHaveBeenCalledTimes(2);
    expect(prompt).toHaveBeenCalledTimes(1);
  });

  it("gives up after the retry: a second refusal is the caller's", async () => {
    const action = vi.fn().mockRejectedValue(stepUp());
    const prompt = vi.fn().mockResolvedValue(true);
    await expect(withStepUp(action, prompt)).rejects.toSatisfy(needsStepUp);
    expect(action).toHaveBeenCalledTimes(2);
    expect(prompt).toHaveBeenCalledTimes(1);
  });

  it("a cancelled prompt does not run the action again", async () => {
    const action = vi.fn().mockRejectedValue(stepUp());
    const prompt = vi.fn().mockResolvedValue(false);
    await expect(withStepUp(action, prompt)).rejects.toBeInstanceOf(StepUpCancelled);
    expect(action).toHaveBeenCalledTimes(1);
  });

  it("other errors pass through without a prompt", async () => {
    const action = vi.fn().mockRejectedValue(graphQLError({ code: "INVALID_CODE" }));
    const prompt = vi.fn();
    await expect(withStepUp(action, prompt)).rejects.toBeInstanceOf(CombinedGraphQLErrors);
    expect(prompt).not.toHaveBeenCalled();
  });
});

describe("groupKey", () => {
  it("groups a key in fours", () => {
    expect(groupKey("JBSWY3DPEHPK3PXPAB")).toBe("JBSW Y3DP EHPK 3PXP AB");
    expect(groupKey("")).toBe("");
  });
});
