// jsforce, a Salesforce client written by others, judges the emulator's
// Metadata API: it signs in with the JWT bearer flow, reads a page layout
// with conn.metadata.read, writes it back with conn.metadata.update, and
// expects what it reads next to equal what it read before. Then it changes
// one related list, checks that the Tooling API shows the change and that
// nothing else moved, puts the layout back, and checks the errors it gets
// for a bad session, a missing layout and a refused related list.
//
// Run through `make fidelity` (scripts/fidelity.sh), which starts the
// emulator and sets SALESFORCE_* from its emulator.env.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import jsforce from 'jsforce';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through make fidelity`);
  return v;
};
const loginURL = env('SALESFORCE_LOGIN_URL');
const version = process.env.SALESFORCE_API_VERSION || '65.0';
const layoutName = 'Contact-Contact Layout';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// The JWT bearer flow, as Salesforce documents it (RS256, iss/sub/aud/exp).
// The audience is the authorization server, login.salesforce.com or, for a
// sandbox, test.salesforce.com, whichever host the request is posted to.
const audience = /^(1|true)$/i.test(process.env.SALESFORCE_SANDBOX || '')
  ? 'https://test.salesforce.com' : 'https://login.salesforce.com';
async function signIn() {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256' }));
  const claims = b64url(JSON.stringify({
    iss: env('SALESFORCE_CLIENT_ID'), sub: env('SALESFORCE_USERNAME'), aud: audience, exp: now + 120,
  }));
  const key = fs.readFileSync(env('SALESFORCE_PRIVATE_KEY_FILE'), 'utf8');
  const signature = crypto.createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
  const res = await fetch(`${loginURL}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: `${header}.${claims}.${b64url(signature)}`,
    }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`sign-in failed: HTTP ${res.status} ${body.error}`);
  return new jsforce.Connection({ instanceUrl: body.instance_url, accessToken: body.access_token, version });
}

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(err && err.stack || err).split('\n').join('\n     ')}`);
  }
}

const withoutList = (layout, name) => ({
  ...layout,
  relatedLists: layout.relatedLists.filter((rl) => rl.relatedList !== name),
});

const conn = await signIn();
const original = await conn.metadata.read('Layout', layoutName);

await check('readMetadata returns the customised layout whole', async () => {
  assert.equal(original.fullName, layoutName);
  assert.equal(original.platformActionList.actionListContext, 'Record');
  assert.ok(original.platformActionList.platformActionListItems.length >= 1);
  assert.equal(original.summaryLayout.summaryLayoutStyle, 'Default');
  assert.ok(original.quickActionList.quickActionListItems.length >= 1);
  assert.ok(original.miniLayout.fields.length >= 1);
  assert.ok(Array.isArray(original.relatedLists) && original.relatedLists.length >= 1);
  assert.ok(original.pinnedActivitySettings, 'the element no client models is read');
});

await check('a no-op updateMetadata changes nothing', async () => {
  const res = await conn.metadata.update('Layout', original);
  assert.equal(res.success, true, JSON.stringify(res));
  assert.equal(res.fullName, layoutName);
  assert.deepEqual(await conn.metadata.read('Layout', layoutName), original);
});

await check('a related list added through updateMetadata shows in readMetadata and the Tooling API, nothing else moves', async () => {
  const added = { fields: ['CASES.CASE_NUMBER', 'CASES.SUBJECT'], relatedList: 'RelatedCaseList' };
  const edited = { ...original, relatedLists: [...original.relatedLists, added] };
  const res = await conn.metadata.update('Layout', edited);
  assert.equal(res.success, true, JSON.stringify(res));
  const after = await conn.metadata.read('Layout', layoutName);
  assert.deepEqual(withoutList(after, 'RelatedCaseList'), original);
  assert.deepEqual(after.relatedLists.at(-1).fields, added.fields);
  const rows = await conn.tooling.query(`SELECT Id FROM Layout WHERE TableEnumOrId = 'Contact' AND Name = 'Contact Layout'`);
  const rec = await conn.tooling.sobject('Layout').retrieve(rows.records[0].Id);
  assert.ok(rec.Metadata.relatedLists.some((rl) => rl.relatedList === 'RelatedCaseList'), 'Tooling GET shows the write');
  assert.equal(rec.Metadata.platformActionList.actionListContext, 'Record');
});

await check('the original goes back and reads back identical', async () => {
  const res = await conn.metadata.update('Layout', original);
  assert.equal(res.success, true, JSON.stringify(res));
  assert.deepEqual(await conn.metadata.read('Layout', layoutName), original);
});

await check('a layout that does not exist reads as nothing, not a fault', async () => {
  const none = await conn.metadata.read('Layout', 'Contact-No Such Layout');
  assert.ok(!none || !none.fullName, JSON.stringify(none));
});

await check('a refused related list is a failed SaveResult with errors', async () => {
  const bad = { ...original, relatedLists: [...original.relatedLists, { relatedList: 'Nope__c.Contact__c', fields: ['NAME'] }] };
  const res = await conn.metadata.update('Layout', bad);
  assert.equal(res.success, false);
  const errors = [].concat(res.errors);
  assert.equal(errors[0].statusCode, 'FIELD_INTEGRITY_EXCEPTION');
  assert.deepEqual(await conn.metadata.read('Layout', layoutName), original);
});

await check('a bad session is the sf:INVALID_SESSION_ID fault', async () => {
  const stale = new jsforce.Connection({ instanceUrl: conn.instanceUrl, accessToken: 'not-a-session', version });
  await assert.rejects(stale.metadata.read('Layout', layoutName), (err) => {
    assert.match(String(err.errorCode || err.name), /INVALID_SESSION_ID/);
    return true;
  });
});

console.log(`fidelity: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
