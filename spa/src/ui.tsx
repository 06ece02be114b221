// Small building blocks every screen shares: the step heading that takes
// focus, the error box, the pending line and the countdown.
import { useEffect, useRef, useState, type ReactNode } from "react";

import type { Problem } from "./errors";
import { formatDuration, secondsUntil } from "./format";
import { t } from "./i18n";

// A screen's heading. It takes focus when the screen appears, so a keyboard or
// screen-reader user lands on the new step instead of on <body>.
export function StepHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h2 ref={ref} tabIndex={-1} className="step-heading">
      {children}
    </h2>
  );
}

// The error box. The human sentence first; the machine-readable code only in
// the details line. It takes focus when a new problem arrives.
export function ErrorBox({ problem, extra }: { problem: Problem | null; extra?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) ref.current?.focus();
  }, [problem]);
  return (
    <div ref={ref} tabIndex={-1} className={problem ? "error" : "error empty"} role="alert" aria-live="assertive">
      {problem && (
        <>
          <p className="error-message">
            <span aria-hidden="true">⚠ </span>
            {problem.message}
            {extra ? ` ${extra}` : ""}
          </p>
          <p className="error-details">{t("details", { details: problem.details })}</p>
        </>
      )}
    </div>
  );
}

export function Pending({ pending }: { pending: boolean }) {
  return (
    <p className="pending" role="status" aria-live="polite">
      {pending ? (
        <>
          <span className="spinner" aria-hidden="true" /> {t("working")}
        </>
      ) : null}
    </p>
  );
}

// The clock the countdowns read, one tick a second.
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}

// "in 4 min 05 s", shown every second; announced to screen readers only when
// the minute changes and at the end (a region read every second is noise).
export function Countdown({ deadline, now, render }: { deadline: number; now: number; render: (time: string) => string }) {
  const seconds = secondsUntil(deadline, now);
  const spoken = seconds > 60 ? Math.ceil(seconds / 60) * 60 : seconds > 0 ? 60 : 0;
  return (
    <>
      <span className="countdown" aria-hidden="true">
        {render(formatDuration(seconds))}
      </span>
      <span className="visually-hidden" aria-live="polite">
        {spoken > 0 ? render(formatDuration(spoken).replace(" 00 s", "")) : ""}
      </span>
    </>
  );
}
