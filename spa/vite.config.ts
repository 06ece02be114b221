/// <reference types="vitest/config" />
// Vite builds the app into web/static/app/, which Django serves as static
// files (whitenoise). Django's `/` view renders web/templates/web/app.html,
// which names the hashed files through the manifest written here: the page
// has no inline script and loads nothing from outside (CONTENT_SECURITY_POLICY).
// `npm run dev` (make web-dev) serves the app with hot reload and passes
// /graphql and /dev/ to the Django server (POLLSTR_API, default 127.0.0.1:8000).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.POLLSTR_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  // Relative URLs between the built files: they work under any STATIC_URL.
  base: "./",
  build: {
    outDir: "../web/static/app",
    emptyOutDir: true,
    manifest: "manifest.json",
    // The preload polyfill is for browsers without <link rel=modulepreload>.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      "/graphql": { target: api, changeOrigin: false },
      "/dev/": { target: api, changeOrigin: false },
    },
  },
  test: { include: ["test/**/*.test.ts"], environment: "node" },
});
