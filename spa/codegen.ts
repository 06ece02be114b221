// graphql-codegen: TypeScript types and typed documents for the app's
// operations (src/**/*.graphql), from the committed schema. The output,
// src/generated/, is not committed: `make app` writes it before each build and
// the Python suite (tests/spa/test_spa.py) regenerates it and runs tsc --strict,
// so a schema change that breaks the app fails a test.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: "src/**/*.graphql",
  config: {
    // Enums as string unions: ErrorCode is the exact set of `extensions.code`
    // values, with nothing to import at run time.
    enumsAsTypes: true,
    useTypeImports: true,
  },
  generates: {
    // Every enum of the schema, ErrorCode included (no field returns it).
    "src/generated/schema.ts": { plugins: ["typescript"], config: { onlyEnums: true } },
    // A result and variables type, and a typed document, per operation.
    "src/generated/graphql.ts": {
      plugins: ["typescript-operations", "typed-document-node"],
      config: { importSchemaTypesFrom: "./src/generated/schema.ts" },
    },
  },
};

export default config;
