// The municipality's OpenID provider, for the single sign-on tests: the certified `oidc-provider` package, started by
// tests/oidc.py on a free port of 127.0.0.1. It prints {"issuer": ...} on its first line once it listens.
//
// Configuration (JSON in OIDC_TEST_PROVIDER):
//   clients: [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}]
//   users: {account id (sub): {password, claims: {preferred_username, email, given_name, groups, ...}}}
//   clock_offset_seconds: the provider's clock runs this far off (negative: behind), so its tokens arrive expired.
//
// The login form checks the password, as the directory would; consent is not asked, as a municipality's own provider
// does not ask its employees whether the intranet may know their name.

import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_PROVIDER);

if (config.clock_offset_seconds) {
  const realNow = Date.now;
  Date.now = () => realNow() + config.clock_offset_seconds * 1000;
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function loginForm(uid, error = '') {
  return page('Logga in med kommunens konto', `
    ${error ? `<p role="alert">${escape(error)}</p>` : ''}
    <form method="post" action="/interaction/${escape(uid)}/login">
      <p><label for="username">Användarnamn</label> <input id="username" name="username" autocomplete="username"></p>
      <p><label for="password">Lösenord</label> <input id="password" name="password" type="password"></p>
      <p><button type="submit">Logga in</button></p>
    </form>`);
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients,
    async findAccount(ctx, id) {
      const user = config.users[id];
      if (!user) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...user.claims }; } };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Logga ut från kommunens konto', `${form}
            <button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logga ut</button>
            <button type="submit" form="op.logoutForm">Nej, förbli inloggad</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Utloggad', '<p>Du är utloggad från kommunens konto.</p>');
        },
      },
    },
    // Short-lived id_tokens, so that a provider whose clock runs behind (clock_offset_seconds) issues expired ones.
    ttl: { IdToken: 600 },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // First-party: the grant is given without asking.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.account.accountId,
      });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      await grant.save();
      return grant;
    },
  });

  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!match) {
      provider.callback()(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      if (req.method === 'GET') {
        res.end(loginForm(details.uid));
        return;
      }
      const form = await readForm(req);
      const user = config.users[form.get('username')];
      if (!user || user.password !== form.get('password')) {
        res.end(loginForm(details.uid, 'Fel användarnamn eller lösenord.'));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: form.get('username') } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.statusCode = 400;
      res.end(page('Fel', `<p>${escape(error.message)}</p>`));
    }
  });

  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
