// A real OpenID provider (oidc-provider, Node 22) for identity tests, listening on 127.0.0.1:PORT
// with issuer http://127.0.0.1:PORT. Machine clients use the client_credentials grant; browser clients
// (public, PKCE S256 required) use the authorization_code grant, and people sign in with a password on
// the small login page served here at /interaction/:uid. Every token requested with
// `resource=<absolute URI>` (RFC 8707) is a JWT access token (RFC 9068, typ at+jwt) whose `aud` is that
// URI. Any resource URI is accepted.
//
// Environment:
//   PORT       port to listen on (required)
//   KEYS       path to a JSON file {"keys":[...]} of private JWKs (use "sig"). The first key of each
//              kty signs (RSA -> RS256, EC P-256 -> ES256); every key is published, public parts only,
//              at the jwks_uri, so keys listed later still verify older tokens.
//   CLIENTS    path to a JSON file, an array of
//              {"client_id","client_secret","sub"?,"groups"?,"amr"?,"acr"?,"auth_age"?}
//              (auth_age: seconds; the token's auth_time is issuance time minus auth_age), or a browser
//              client {"client_id","redirect_uris":[...]} (no secret: a public client).
//   USERS      optional path to a JSON file, an array of {"username","password","name","groups"}: the
//              people who may sign in. Their tokens carry sub = username, name, groups and amr ["pwd"].
//   TOKEN_TTL  access token lifetime in seconds (default 300)
//
// Token request extras: `token_alg=ES256` (form field) signs that token with the EC key instead of
// the default RS256; `scope` values are granted as asked (space-separated) and land in `scope`.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import Provider, { errors } from "oidc-provider";

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error("PORT must be set to a port number");
const issuer = `http://127.0.0.1:${port}`;
const ttl = Number(process.env.TOKEN_TTL ?? 300);
const keys = JSON.parse(readFileSync(process.env.KEYS, "utf8")).keys;
const clients = new Map(JSON.parse(readFileSync(process.env.CLIENTS, "utf8")).map((c) => [c.client_id, c]));
const users = new Map((process.env.USERS ? JSON.parse(readFileSync(process.env.USERS, "utf8")) : []).map((u) => [u.username, u]));
const signingAlgs = new Set(["RS256", "ES256"]);
const now = () => Math.floor(Date.now() / 1000);

const provider = new Provider(issuer, {
  jwks: { keys },
  clients: [...clients.values()].map((c) => c.redirect_uris
    ? {
      client_id: c.client_id,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: c.redirect_uris,
      token_endpoint_auth_method: "none",
    }
    : {
      client_id: c.client_id,
      client_secret: c.client_secret,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
    }),
  pkce: { required: () => true },
  findAccount: async (_ctx, id) => users.has(id)
    ? { accountId: id, claims: async () => ({ sub: id, name: users.get(id).name }) }
    : undefined,
  // The browser clients are the bank's own (first-party): a signed-in person is not asked to consent.
  loadExistingGrant: async (ctx) => {
    const { client, session, params } = ctx.oidc;
    const existing = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
    if (existing) return ctx.oidc.provider.Grant.find(existing);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope(params.scope ?? "openid");
    for (const resource of [params.resource ?? []].flat()) grant.addResourceScope(resource, params.scope ?? "");
    await grant.save();
    return grant;
  },
  clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx, _client, oneOf) => oneOf,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, _resource, _client) => {
        const alg = ctx.oidc.body?.token_alg ?? "RS256";
        if (!signingAlgs.has(alg)) throw new errors.InvalidRequest(`token_alg must be one of ${[...signingAlgs].join(", ")}`);
        return {
          scope: typeof ctx.oidc.params.scope === "string" ? ctx.oidc.params.scope : "",
          accessTokenFormat: "jwt",
          accessTokenTTL: ttl,
          jwt: { sign: { alg } },
        };
      },
    },
  },
  // A person's claims, or per-client identity claims, copied into the JWT access token.
  extraTokenClaims: async (_ctx, token) => {
    const user = token.accountId && users.get(token.accountId);
    if (user) return { name: user.name, groups: user.groups, amr: ["pwd"] };
    const c = clients.get(token.clientId);
    if (!c) return undefined;
    const claims = {};
    if (c.groups) claims.groups = c.groups;
    if (c.amr) claims.amr = c.amr;
    if (c.acr) claims.acr = c.acr;
    if (c.auth_age !== undefined && c.auth_age !== null) claims.auth_time = now() - c.auth_age;
    return claims;
  },
  formats: {
    customizers: {
      // oidc-provider puts client_id in `sub` for client credentials; give each client its own subject.
      jwt: async (_ctx, token, jwt) => {
        const sub = clients.get(token.clientId)?.sub;
        if (sub) jwt.payload.sub = sub;
      },
    },
  },
  ttl: {
    AccessToken: ttl,
    ClientCredentials: ttl,
  },
});

provider.on("server_error", (_ctx, err) => console.error("server_error", err));
provider.on("grant.error", (_ctx, err) => console.error("grant.error", err.message, err.error_description ?? ""));

// The login page: a person's name and password, checked against USERS; nothing else is asked.
const page = (uid, problem) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider sign-in</title></head>
<body><h1>Test provider sign-in</h1>${problem ? `<p role="alert">${problem}</p>` : ""}
<form method="post" action="/interaction/${uid}/login">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></body></html>`;

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(details.uid));
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
  const user = users.get(form.get("username") ?? "");
  if (!user || user.password !== form.get("password")) {
    res.writeHead(401, { "content-type": "text/html; charset=utf-8" }).end(page(details.uid, "Wrong username or password."));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
createServer((req, res) => {
  if (!req.url.startsWith("/interaction/")) return callback(req, res);
  interaction(req, res).catch((err) => {
    console.error("interaction", err);
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end(`Sign-in interaction failed: ${err.message}`);
  });
}).listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
