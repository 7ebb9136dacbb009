// The reference Verifiable Credentials stack, driven by tests/credentials/test_interop.py.
//   node vc.mjs verify            < credential.json   → {"verified": bool, "error": …}
//   node vc.mjs sign SECRET_KEY PUBLIC_KEY          < credential.json   → with a proof
//   node vc.mjs present SECRET_KEY PUBLIC_KEY CHALLENGE DOMAIN < presentation.json
//   node vc.mjs jwt-verify PUBLIC_JWK ALG  < {"token": …}  → {"verified", "vc", "error"}
//   node vc.mjs jwt-sign PRIVATE_JWK ALG KID < credential.json → {"token"}  (panva's jose)
// SECRET_KEY is an Ed25519 secretKeyMultibase; its did:key is the verification method.
// Only the bundled contexts and did:key documents are loaded: no network.
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
const didKeyDriver = didKey.driver();
didKeyDriver.use({
  multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519Multikey.from,
});

async function documentLoader(url) {
  if(manifest[url]) {
    const file = new URL(
      `../../src/microcred/credentials/contexts/${manifest[url].file}`, here);
    return {contextUrl: null, documentUrl: url, document: JSON.parse(readFileSync(file))};
  }
  if(url.startsWith('did:key:')) {
    const document = await didKeyDriver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`refused to load ${url}`);
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const [command, secret] = process.argv.slice(2);
try {
  if(command === 'jwt-verify') {
    const key = await importJWK(JSON.parse(secret), process.argv[4]);
    const {payload} = await jwtVerify(input.token, key, {algorithms: [process.argv[4]]});
    process.stdout.write(JSON.stringify({verified: true, vc: payload.vc, error: null}));
  } else if(command === 'jwt-sign') {
    const key = await importJWK(JSON.parse(secret), process.argv[4]);
    const token = await new SignJWT({vc: input, iss: input.issuer.id ?? input.issuer})
      .setProtectedHeader({alg: process.argv[4], typ: 'JWT', kid: process.argv[5]})
      .sign(key);
    process.stdout.write(JSON.stringify({token}));
  } else if(command === 'sign' || command === 'present') {
    const keyPair = await Ed25519Multikey.from({
      '@context': 'https://w3id.org/security/multikey/v1',
      type: 'Multikey',
      secretKeyMultibase: secret,
      publicKeyMultibase: process.argv[4],
    });
    keyPair.controller = `did:key:${keyPair.publicKeyMultibase}`;
    keyPair.id = `${keyPair.controller}#${keyPair.publicKeyMultibase}`;
    const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022});
    const signed = command === 'sign' ?
      await vc.issue({credential: input, suite, documentLoader}) :
      await vc.signPresentation({
        presentation: input, suite, documentLoader,
        challenge: process.argv[5], domain: process.argv[6],
      });
    process.stdout.write(JSON.stringify(signed));
  } else {
    const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
    const result = await vc.verifyCredential({
      credential: input, suite, documentLoader, checkStatus: async () => ({verified: true}),
    });
    const error = result.error ? String(result.error.errors?.[0] || result.error) : null;
    process.stdout.write(JSON.stringify({verified: result.verified, error}));
  }
} catch(e) {
  process.stdout.write(JSON.stringify({verified: false, error: String(e)}));
  process.exitCode = 2;
}
