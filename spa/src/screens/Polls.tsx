// Polls a page at a time (pollsConnection), and voting. Counts are refetched
// every POLL_INTERVAL_MS while the page is visible (document.visibilityState),
// never in a background tab. Your vote is marked by text and a check mark, and
// by aria-pressed for assistive technology, not by colour alone.
import { useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";

import { describe, type Problem } from "../errors";
import { PollsDocument, VoteDocument } from "../generated/graphql";
import { t } from "../i18n";
import { ErrorBox, Pending } from "../ui";

const PAGE_SIZE = 3;
const POLL_INTERVAL_MS = 3000;

function useVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === "visible");
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}

interface Props {
  onProblem: (problem: Problem) => void;
}

export function Polls({ onProblem }: Props) {
  const visible = useVisible();
  // The cursors of the pages before this one: "Newer" pops, "Older" pushes.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const { data, error, loading } = useQuery(PollsDocument, {
    variables: { first: PAGE_SIZE, after },
    pollInterval: visible ? POLL_INTERVAL_MS : 0,
    notifyOnNetworkStatusChange: false,
  });
  const [vote, { loading: voting }] = useMutation(VoteDocument);
  const [problem, setProblem] = useState<Problem | null>(null);

  const connection = data?.pollsConnection;
  const start = (cursors.length - 1) * PAGE_SIZE;

  const cast = async (choiceId: string) => {
    setProblem(null);
    try {
      await vote({ variables: { choiceId } });
    } catch (err) {
      const found = describe(err);
      setProblem(found);
      onProblem(found);
    }
  };

  return (
    <div className="polls">
      <ErrorBox problem={problem ?? (error && !data ? describe(error) : null)} />
      <Pending pending={(loading && !data) || voting} />
      {connection && connection.edges.length === 0 && <p>{t("noPolls")}</p>}
      {connection?.edges.map(({ node: poll }) => (
        <article key={poll.id} className="poll" aria-labelledby={`poll-${poll.id}`}>
          <h3 id={`poll-${poll.id}`}>{poll.question}</h3>
          <ul className="choices">
            {poll.choices.map((choice) => {
              const mine = poll.myVote?.id === choice.id;
              const share = poll.totalVotes ? Math.round((choice.votes / poll.totalVotes) * 100) : 0;
              return (
                <li key={choice.id} className={mine ? "choice mine" : "choice"}>
                  <button
                    type="button"
                    aria-pressed={mine}
                    aria-label={t("voteFor", { choice: choice.text })}
                    disabled={voting}
                    onClick={() => cast(choice.id)}
                  >
                    <span className="check" aria-hidden="true">
                      {mine ? "✓" : ""}
                    </span>
                    {choice.text}
                  </button>
                  <span className="count" data-choice={choice.text}>
                    {choice.votes === 1 ? t("vote1") : t("votes", { n: choice.votes })}
                    {mine && <strong className="mine-label"> · {t("yourVote")}</strong>}
                  </span>
                  <span className="bar" aria-hidden="true">
                    <span className={`fill w${Math.round(share / 5) * 5}`} />
                  </span>
                </li>
              );
            })}
          </ul>
          <p className="hint total">{t("totalVotes", { n: poll.totalVotes })}</p>
        </article>
      ))}
      {connection && connection.totalCount > 0 && (
        <nav className="pager" aria-label={t("pollsTitle")}>
          <button
            type="button"
            className="secondary"
            disabled={cursors.length === 1}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            {t("newer")}
          </button>
          <span aria-live="polite">
            {t("pageOf", {
              from: start + 1,
              to: start + connection.edges.length,
              total: connection.totalCount,
            })}
          </span>
          <button
            type="button"
            className="secondary"
            disabled={!connection.pageInfo.hasNextPage}
            onClick={() => setCursors([...cursors, connection.pageInfo.endCursor])}
          >
            {t("older")}
          </button>
        </nav>
      )}
    </div>
  );
}
