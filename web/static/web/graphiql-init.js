// Starts GraphiQL (React 18 and GraphiQL 3 UMD builds, served by this server).
// Kept out of the HTML so the page runs under `Content-Security-Policy: default-src 'self'`.
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var fetcher = window.GraphiQL.createFetcher({ url: root.dataset.endpoint });
  window.ReactDOM.createRoot(root).render(
    window.React.createElement(window.GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.dataset.defaultQuery,
      // The header editor is open, so `Authorization: Bearer ...` can be pasted in;
      // headers are not persisted in localStorage (tokens don't outlive the tab).
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: false,
    })
  );
})();
