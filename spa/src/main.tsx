// The app's entry: Apollo's provider around the app, mounted into #root.
import { ApolloProvider } from "@apollo/client/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { client } from "./api";
import { App } from "./App";
import { currentLanguage } from "./i18n";
import "./styles.css";

document.documentElement.lang = currentLanguage();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <App />
    </ApolloProvider>
  </StrictMode>,
);
