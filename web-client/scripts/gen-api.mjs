// Generates src/api/schema.d.ts from the server's OpenAPI document.
//
//   tribuna openapi > ../target-openapi.json && npm run gen:api
//   OPENAPI_JSON=/path/to/openapi.json npm run gen:api
//   npm run gen:api -- --check     # exit 1 if the committed file is out of date
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const source = process.env.OPENAPI_JSON ?? '../target-openapi.json';
const target = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));
const check = process.argv.includes('--check');

let document;
try {
  document = JSON.parse(await readFile(source, 'utf8'));
} catch (e) {
  console.error(`gen:api: cannot read the OpenAPI document ${source}: ${e instanceof Error ? e.message : e}`);
  console.error('gen:api: write it with `tribuna openapi > ../target-openapi.json`, or set OPENAPI_JSON');
  process.exit(1);
}

const banner =
  '// Generated from the server\'s OpenAPI document by `npm run gen:api`. Do not edit.\n' +
  '// Regenerate: tribuna openapi > ../target-openapi.json && npm run gen:api\n\n';
const generated = banner + astToString(await openapiTS(document));

if (check) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== generated) {
    console.error('gen:api: src/api/schema.d.ts is out of date; run `npm run gen:api` and commit it');
    process.exit(1);
  }
  console.log('gen:api: src/api/schema.d.ts is up to date');
} else {
  await writeFile(target, generated);
  console.log(`gen:api: wrote ${target} from ${source}`);
}
