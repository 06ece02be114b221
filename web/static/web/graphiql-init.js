// Starts GraphiQL (React 18 and GraphiQL 3 UMD builds, served by this server).
// Kept out of the HTML so the page runs under `Content-Security-Policy: default-src 'self'`.
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var fetcher = window.GraphiQL.createFetcher({ url: root.dataset.endpoint });
  // A tab per step of the flow (web/graphiql_tabs.py), rendered as a JSON script tag.
  var tabsElement = document.getElementById("graphiql-tabs");
  var tabs = tabsElement ? JSON.parse(tabsElement.textContent) : [];
  window.ReactDOM.createRoot(root).render(
    window.React.createElement(window.GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.dataset.defaultQuery,
      defaultTabs: tabs.length ? tabs : undefined,
      // The header editor is open, so `Authorization: Bearer ...` can be pasted in;
      // headers are not persisted in localStorage (tokens don't outlive the tab).
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: false,
    })
  );
})();
