// Starts GraphiQL (React 18 and GraphiQL 3 UMD builds, served by this server).
// Kept out of the HTML so the page runs under `Content-Security-Policy: default-src 'self'`.
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var createdFetcher = window.GraphiQL.createFetcher({ url: root.dataset.endpoint });
  // GraphiQL 3 keeps a tab's operation name after its document is replaced by an
  // anonymous one ("Unknown operation named 'SignUp'"): send a name only when the
  // document has an operation by that name.
  var fetcher = function (params, options) {
    var name = params.operationName;
    if (name && !new RegExp("\\b(query|mutation|subscription)\\s+" + name + "\\b").test(params.query)) {
      params = Object.assign({}, params, { operationName: undefined });
    }
    return createdFetcher(params, options);
  };
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
