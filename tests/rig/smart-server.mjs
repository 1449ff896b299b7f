// A SMART-on-FHIR authorization server and a token-verifying FHIR gateway for twin-fhir's tests.
//
//   node smart-server.mjs <upstream FHIR base> <auth port> <gateway port>
//
// Auth server (npm oidc-provider, OpenID-certified) on 127.0.0.1:<auth port>: a public native
// client `cardiotwin` (loopback redirects on any port), PKCE required, JWT access tokens whose
// audience is the gateway's FHIR base (resource indicators), 20-second access tokens so refresh is
// exercised, refresh tokens, `patient` added to the token response. The interaction step signs in
// the test clinician and grants the requested scopes without a form, so a plain HTTP client that
// follows redirects drives the whole browser leg.
//
// Gateway on 127.0.0.1:<gateway port>/fhir: serves /.well-known/smart-configuration, verifies every
// other request's bearer token (signature by the provider's JWKS, issuer, audience, expiry) with
// npm jose, answers 401 otherwise, and proxies to the upstream FHIR server.
// A test revokes a refresh token through the provider's own revocation endpoint (RFC 7009).
// The patient in context is always ct-demo-05.
import http from 'node:http';
import Provider from 'oidc-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [upstream, authPort, gatewayPort] = process.argv.slice(2);
if (!upstream || !authPort || !gatewayPort) {
  console.error('usage: node smart-server.mjs <upstream FHIR base> <auth port> <gateway port>');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${authPort}`;
const fhirBase = `http://127.0.0.1:${gatewayPort}/fhir`;
const PATIENT = 'ct-demo-05';
const RESOURCE_SCOPES = 'patient/*.rs patient/*.read';

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'cardiotwin',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  pkce: { required: () => true },
  scopes: ['openid', 'offline_access', 'fhirUser', 'launch', 'launch/patient'],
  claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
  findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, fhirUser: `Practitioner/${id}` }) }),
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => fhirBase,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: RESOURCE_SCOPES,
        audience: fhirBase,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 20,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: { AccessToken: 20, AuthorizationCode: 60, RefreshToken: 3600, Interaction: 300, Session: 3600, Grant: 3600 },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.proxy = false;

// SMART adds the patient in context to the token response.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body && ctx.body.access_token) {
    ctx.body = { ...ctx.body, patient: PATIENT };
  }
});

// Why a grant failed, for whoever reads the rig's stderr (never the tokens themselves).
provider.on('grant.error', (_ctx, err) => console.error(`grant.error: ${err.error_description ?? err.message} ${err.error_detail ?? ''}`));

const providerHandler = provider.callback();
http
  .createServer(async (req, res) => {
    if (!req.url.startsWith('/interaction/')) {
      providerHandler(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(req, res, { login: { accountId: 'dr-test' } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope(String(details.params.scope).split(' ').filter((s) => !s.includes('/') || s.startsWith('launch')).join(' '));
      grant.addResourceScope(fhirBase, RESOURCE_SCOPES);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  })
  .listen(Number(authPort), '127.0.0.1');

const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

http
  .createServer(async (req, res) => {
    if (req.url === '/fhir/.well-known/smart-configuration') {
      send(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        revocation_endpoint: `${issuer}/token/revocation`,
        jwks_uri: `${issuer}/jwks`,
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access', 'patient/*.rs', 'patient/*.read'],
        capabilities: ['launch-standalone', 'launch-ehr', 'client-public', 'context-standalone-patient', 'permission-offline', 'permission-patient', 'permission-v2'],
      });
      return;
    }
    if (!req.url.startsWith('/fhir')) {
      send(res, 404, {});
      return;
    }
    const auth = req.headers.authorization ?? '';
    try {
      if (!auth.startsWith('Bearer ')) throw new Error('no bearer token');
      await jwtVerify(auth.slice(7), jwks, { issuer, audience: fhirBase });
    } catch (err) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' });
      res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: String(err.code ?? err.message) }] }));
      return;
    }
    const target = upstream.replace(/\/fhir$/, '') + req.url;
    const upstreamRes = await fetch(target, { headers: { accept: 'application/fhir+json' } });
    res.writeHead(upstreamRes.status, { 'content-type': 'application/fhir+json' });
    res.end(Buffer.from(await upstreamRes.arrayBuffer()));
  })
  .listen(Number(gatewayPort), '127.0.0.1', () => console.log(`ready ${fhirBase}`));
