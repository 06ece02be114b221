// Development only: the codes the console provider "sent", one click away.
// The server answers GET /dev/outbox only with DEBUG on and the console
// provider (404 otherwise), so this panel shows only where that is true.
import { useCallback, useEffect, useState } from "react";

import { t } from "../i18n";

interface Message {
  to: string;
  channel: string;
  purpose: string;
  code: string;
  sentAt: string;
}

export function DevOutbox({ version }: { version: number }) {
  const [messages, setMessages] = useState<Message[] | null>(null);
  // Asked once; a server without an outbox is not asked again after each send.
  const [available, setAvailable] = useState(true);
  const load = useCallback(async () => {
    try {
      const response = await fetch("/dev/outbox", { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.status !== 200) {
        setAvailable(false);
        return setMessages(null);
      }
      const body = (await response.json()) as { messages?: Message[] };
      setMessages(Array.isArray(body.messages) ? body.messages : null);
    } catch {
      setMessages(null);
    }
  }, []);
  useEffect(() => {
    if (available) void load();
    // Only a new send asks again (not the answer to the first question).
  }, [load, version]);
  if (messages === null) return null;
  return (
    <aside className="dev" aria-labelledby="dev-heading">
      <h2 id="dev-heading">{t("devTitle")}</h2>
      <p className="hint">{t("devBody")}</p>
      {messages.length === 0 ? (
        <p>{t("devEmpty")}</p>
      ) : (
        <ul>
          {messages.slice(0, 5).map((m) => (
            <li key={`${m.sentAt}-${m.to}-${m.code}`}>
              <code className="dev-code">{m.code}</code> {m.purpose} · {m.channel} · {m.to}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="secondary" onClick={() => void load()}>
        {t("devRefresh")}
      </button>
    </aside>
  );
}
