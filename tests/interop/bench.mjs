// Sign and verify throughput of the reference stack for bench/credentials.py.
//   node bench.mjs SECRET_KEY PUBLIC_KEY SECONDS PRIVATE_JWK < credential.json  → JSON figures
// Data Integrity with @digitalbazaar/vc; VC-JWT (EdDSA) with panva's jose.
import {readFileSync} from 'node:fs';
import {SignJWT, importJWK, jwtVerify} from 'jose';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as didKey from '@digitalbazaar/did-method-key';

const here = new URL('.', import.meta.url);
const manifest = JSON.parse(
  readFileSync(new URL('../../src/microcred/credentials/contexts/manifest.json', here)));
const contexts = {};
for(const [url, entry] of Object.entries(manifest)) {
  contexts[url] = JSON.parse(readFileSync(
    new URL(`../../src/microcred/credentials/contexts/${entry.file}`, here)));
}
const driver = didKey.driver();
driver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
const dids = new Map();
async function documentLoader(url) {
  if(contexts[url]) {
    return {contextUrl: null, documentUrl: url, document: contexts[url]};
  }
  if(url.startsWith('did:key:')) {
    if(!dids.has(url)) {
      dids.set(url, await driver.get({url}));
    }
    return {contextUrl: null, documentUrl: url, document: dids.get(url)};
  }
  throw new Error(`refused ${url}`);
}
const [secret, publicKey, seconds, privateJwk] = process.argv.slice(2);
const credential = JSON.parse(readFileSync(0, 'utf8'));
const keyPair = await Ed25519Multikey.from({
  '@context': 'https://w3id.org/security/multikey/v1', type: 'Multikey',
  secretKeyMultibase: secret, publicKeyMultibase: publicKey,
});
keyPair.controller = `did:key:${publicKey}`;
keyPair.id = `${keyPair.controller}#${publicKey}`;
const limit = Number(seconds) * 1000;

async function rate(work) {
  await work();  // warm up
  const start = performance.now();
  let n = 0;
  while(performance.now() - start < limit) {
    await work();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}
let signed;
const sign = await rate(async () => {
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022});
  signed = await vc.issue({credential: structuredClone(credential), suite, documentLoader});
});
const verify = await rate(async () => {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({
    credential: signed, suite, documentLoader, checkStatus: async () => ({verified: true}),
  });
  if(!result.verified) {
    throw new Error('did not verify');
  }
});
// VC-JWT: the credential (without a proof) in the vc claim, as microcred's jose.sign makes it.
const jwk = JSON.parse(privateJwk);
const jwtKey = await importJWK(jwk, 'EdDSA');
const {d, ...publicJwk} = jwk;
const jwtPublic = await importJWK(publicJwk, 'EdDSA');
const kid = keyPair.id;
let token;
const jwtSign = await rate(async () => {
  token = await new SignJWT({vc: credential, iss: credential.issuer.id, jti: credential.id})
    .setProtectedHeader({alg: 'EdDSA', typ: 'JWT', kid}).sign(jwtKey);
});
const jwtVerifyRate = await rate(async () => {
  const {payload} = await jwtVerify(token, jwtPublic, {algorithms: ['EdDSA']});
  if(!payload.vc) {
    throw new Error('no vc claim');
  }
});
process.stdout.write(JSON.stringify({
  sign_per_s: sign, verify_per_s: verify,
  jwt_sign_per_s: jwtSign, jwt_verify_per_s: jwtVerifyRate,
}));
