// A real OpenID Connect provider for the ProConnect tests (node oidc-provider): one
// client (Alliance under test) and two people who can sign in. Its own sign-in page
// asks for an email, a password and, optionally, a code: the `amr` of the ID token
// says "pwd" alone, or "pwd" and "otp".
//
//   PORT=… REDIRECT_URI=… node tests/accounts/oidc/provider.mjs
//
// It prints "ready <issuer>" once it listens.
import http from "node:http";
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const CLIENT = { id: "alliance-test", secret: "alliance-test-secret" };
const PASSWORD = "provider-password";
// The people the provider knows: one who has a professional account in Alliance under
// test, one who has none. Their `sub` is the provider's, opaque and stable.
const PEOPLE = {
  "ines.morel@example.org": { sub: "pc-0001-ines", given_name: "Inès", usual_name: "Morel" },
  "inconnu@example.org": { sub: "pc-0002-inconnu", given_name: "Paul", usual_name: "Inconnu" },
};

const configuration = {
  clients: [
    {
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: {
    // Like ProConnect, the ID token states how the person signed in.
    openid: ["sub", "amr"],
    email: ["email", "email_verified"],
    given_name: ["given_name"],
    usual_name: ["usual_name"],
  },
  scopes: ["openid", "email", "given_name", "usual_name"],
  features: { devInteractions: { enabled: false }, claimsParameter: { enabled: true } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ["tests-only-cookie-key"] },
  pkce: { required: () => true },
  async findAccount(ctx, sub) {
    const email = Object.keys(PEOPLE).find((key) => PEOPLE[key].sub === sub);
    if (!email) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { ...PEOPLE[email], email, email_verified: true };
      },
    };
  },
  // The provider's own consent screen is not what is tested: Alliance is trusted.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email given_name usual_name");
    grant.addOIDCClaims(["amr"]);
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signInPage(uid, error = "") {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider</title></head>
<body><main><h1>Test provider: sign in</h1>${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="email">Email</label><input id="email" name="email" type="email">
<label for="password">Password</label><input id="password" name="password" type="password">
<label for="otp">Code of my app (optional)</label><input id="otp" name="otp">
<button type="submit">Sign in</button></form></main></body></html>`;
}

async function readForm(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res) {
  const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
  const uid = match[1];
  await provider.interactionDetails(req, res);
  if (req.method === "GET") {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(signInPage(uid));
    return;
  }
  const form = await readForm(req);
  const person = PEOPLE[form.get("email")];
  if (!person || form.get("password") !== PASSWORD) {
    res.writeHead(400, { "Content-Type": "text/html; charset=utf-8" });
    res.end(signInPage(uid, "Unknown email or wrong password."));
    return;
  }
  // Any code stands for a second factor checked by the provider.
  const amr = form.get("otp") ? ["pwd", "otp"] : ["pwd"];
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: person.sub, amr } },
    { mergeWithLastSubmission: false },
  );
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith("/interaction/")) {
    interaction(req, res).catch((error) => {
      res.writeHead(500);
      res.end(String(error));
    });
    return;
  }
  provider.callback()(req, res);
});
server.listen(port, "127.0.0.1", () => console.log(`ready ${issuer}`));
