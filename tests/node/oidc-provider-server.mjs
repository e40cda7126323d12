// A real OpenID provider (oidc-provider, Node 22) for identity tests, listening on 127.0.0.1:PORT
// with issuer http://127.0.0.1:PORT. Only the client_credentials grant is enabled; every token
// requested with `resource=<absolute URI>` (RFC 8707) is a JWT access token (RFC 9068, typ at+jwt)
// whose `aud` is that URI. Any resource URI is accepted.
//
// Environment:
//   PORT       port to listen on (required)
//   KEYS       path to a JSON file {"keys":[...]} of private JWKs (use "sig"). The first key of each
//              kty signs (RSA -> RS256, EC P-256 -> ES256); every key is published, public parts only,
//              at the jwks_uri, so keys listed later still verify older tokens.
//   CLIENTS    path to a JSON file, an array of
//              {"client_id","client_secret","sub"?,"groups"?,"amr"?,"acr"?,"auth_age"?}
//              (auth_age: seconds; the token's auth_time is issuance time minus auth_age).
//   TOKEN_TTL  access token lifetime in seconds (default 300)
//
// Token request extras: `token_alg=ES256` (form field) signs that token with the EC key instead of
// the default RS256; `scope` values are granted as asked (space-separated) and land in `scope`.
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import Provider, { errors } from "oidc-provider";

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error("PORT must be set to a port number");
const issuer = `http://127.0.0.1:${port}`;
const ttl = Number(process.env.TOKEN_TTL ?? 300);
const keys = JSON.parse(readFileSync(process.env.KEYS, "utf8")).keys;
const clients = new Map(JSON.parse(readFileSync(process.env.CLIENTS, "utf8")).map((c) => [c.client_id, c]));
const signingAlgs = new Set(["RS256", "ES256"]);
const now = () => Math.floor(Date.now() / 1000);

const provider = new Provider(issuer, {
  jwks: { keys },
  clients: [...clients.values()].map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    grant_types: ["client_credentials"],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: "client_secret_basic",
  })),
  clientAuthMethods: ["client_secret_basic", "client_secret_post"],
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
  // Per-client identity claims copied into the JWT access token.
  extraTokenClaims: async (_ctx, token) => {
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

provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
