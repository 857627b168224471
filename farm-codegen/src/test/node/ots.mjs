// Runs openapi-typescript (the pinned version in package.json) on each spec, as the shape reference for farm-codegen's
// parity check. Usage: node ots.mjs SPEC OUT [SPEC OUT ...]; prints "SPEC<TAB>MILLISECONDS" per spec.
// Options: --default-non-nullable=false (only `required` makes a property required, as in FastAPI), and two of the
// README's intended differences applied to the reference: format: binary is Blob, and a bare `type: object` is
// Record<string, unknown> (emptyObjectsUnknown).
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import openapiTS, { astToString } from "openapi-typescript";

const BLOB = ts.factory.createTypeReferenceNode("Blob");
const args = process.argv.slice(2);
for (let i = 0; i + 1 < args.length; i += 2) {
  const started = performance.now();
  const ast = await openapiTS(pathToFileURL(args[i]), {
    defaultNonNullable: false,
    emptyObjectsUnknown: true,
    silent: true,
    transform(schema) {
      if (schema.format === "binary") {
        return schema.nullable ? ts.factory.createUnionTypeNode([BLOB, ts.factory.createLiteralTypeNode(ts.factory.createNull())]) : BLOB;
      }
      return undefined;
    },
  });
  fs.writeFileSync(args[i + 1], astToString(ast));
  console.log(`${args[i]}\t${Math.round(performance.now() - started)}`);
}
