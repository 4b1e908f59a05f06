// A real OpenID provider for the end-to-end tests (sso.spec.ts): the npm `oidc-provider`
// package (a certified OpenID Connect implementation) with its development login pages, one
// confidential client, and PKCE required. Nothing here stands in for the portal's side: the
// portal discovers this issuer, sends the browser here, exchanges the code and verifies the
// ID token exactly as it would against a company's identity provider.
//   node oidc-provider.mjs <port> <client id> <client secret> <redirect URI>
// Anyone can sign in with any login and password (the development pages); the login is the
// account: its email is the login in lower case, verified unless the local part starts with
// "unverified" (so the spec can show the portal refusing an unverified address).
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  // Authorization code with PKCE (S256) only, for every client.
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const email = id.trim().toLowerCase();
    return {
      accountId: id,
      async claims() {
        return { sub: id, email, email_verified: !email.startsWith("unverified") };
      },
    };
  },
  // Its signing keys are generated at each start; nothing is kept between runs.
  cookies: { keys: ["sso-spec-cookie-key"] },
});
provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`OpenID provider at ${issuer}/.well-known/openid-configuration`);
});
