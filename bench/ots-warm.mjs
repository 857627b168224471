// openapi-typescript warm in-process timing for bench.py's codegen benchmark, the counterpart of CodegenBench.java:
//   node bench/ots-warm.mjs WARMUPS RUNS SPEC...   (run from bench/.peers' parent so node_modules resolves)
// Times openapiTS(spec) + astToString, the work its CLI reports as its own time, printing "SPEC<TAB>ms,...<TAB>chars".
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const [warmups, runs, ...specs] = process.argv.slice(2);
const options = { defaultNonNullable: false, silent: true };
for (const spec of specs) {
  let chars = 0;
  for (let i = 0; i < Number(warmups); i++) chars = astToString(await openapiTS(pathToFileURL(spec), options)).length;
  const times = [];
  for (let i = 0; i < Number(runs); i++) {
    const start = performance.now();
    chars = astToString(await openapiTS(pathToFileURL(spec), options)).length;
    times.push((performance.now() - start).toFixed(1));
  }
  console.log(`${spec}\t${times.join(",")}\t${chars}`);
}
