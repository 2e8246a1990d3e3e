/*
 * Sign-in for the live page: OAuth 2.0 authorization code with PKCE (S256) against the issuer named by /config.json,
 * as a public client (no secret). Tokens live in this tab only (sessionStorage, never localStorage or a cookie).
 *
 *   Auth.start()      -> Promise<session|null>: reads /config.json and the issuer's discovery, finishes a sign-in
 *                        that just came back (?code=&state=, the state checked), or resumes the tab's session
 *   Auth.signIn()     -> goes to the issuer's login (a fresh verifier and state per attempt)
 *   Auth.token()      -> Promise<access token>: the current one, renewed first when it is about to expire
 *   Auth.renew()      -> Promise<session>: a new token without a prompt while the issuer session lasts (prompt=none
 *                        in a hidden frame; if the frame cannot be used, the same request as a full-page round trip);
 *                        rejects (and signs out) once the issuer wants a login again
 *   Auth.signOut()    -> forgets the tokens and ends the issuer session
 *   Auth.onChange(fn) -> fn(session|null, reason) after every sign-in, renewal and sign-out
 *
 * A session: { token, idToken, subject, accounts, scopes, admin, expiresAt (ms) }.
 */
(function (global) {
  'use strict';

  const STORE = 'live-page.session';
  const PENDING = 'live-page.pending'; // { state, verifier, silent } of a full-page authorization request
  const RENEW_BEFORE_MS = 60000;       // renew this long before expiry (or at 3/4 of a shorter lifetime)
  const FRAME_TIMEOUT_MS = 10000;

  // The redirect URI is this page: inside the silent-renewal frame it only hands the answer to the opener.
  const inFrame = global.parent !== global;
  if (inFrame && /[?&](code|error)=/.test(location.search)) {
    global.parent.postMessage({ type: 'live-page.authorization', search: location.search }, location.origin);
  }

  let config = null;
  let discovery = null;
  let session = null;
  let renewing = null;
  let renewTimer = null;
  const listeners = [];

  // ---- encoding ----

  function base64Url(bytes) {
    let binary = '';
    new Uint8Array(bytes).forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function randomString() {
    return base64Url(crypto.getRandomValues(new Uint8Array(32)));
  }

  async function challengeOf(verifier) {
    return base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  }

  /** The claims of a JWT, unverified: the resource servers verify it; the page only reads who it is for. */
  function claimsOf(jwt) {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(payload), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  }

  function sessionOf(tokens) {
    const claims = claimsOf(tokens.access_token);
    const scopes = Array.isArray(claims.scope) ? claims.scope : String(claims.scope || tokens.scope || '').split(' ').filter(Boolean);
    const expiresAt = claims.exp ? claims.exp * 1000 : Date.now() + (tokens.expires_in || 300) * 1000;
    return {
      token: tokens.access_token,
      idToken: tokens.id_token || null,
      subject: claims.sub,
      accounts: Array.isArray(claims[config.accountsClaim]) ? claims[config.accountsClaim] : [],
      scopes: scopes,
      admin: scopes.includes(config.adminScope),
      issuedAt: claims.iat ? claims.iat * 1000 : Date.now(),
      expiresAt: expiresAt,
    };
  }

  // ---- configuration ----

  async function json(url, init) {
    const response = await fetch(url, init);
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error((body && (body.error_description || body.error || body.detail)) || 'HTTP ' + response.status);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  async function loadConfiguration() {
    const loaded = await json('/config.json', { headers: { Accept: 'application/json' } });
    config = Object.assign({ scope: 'openid orders:read orders:write orders:admin', accountsClaim: 'accounts', adminScope: 'orders:admin' }, loaded);
    config.issuer = config.issuer.replace(/\/$/, '');
    discovery = await json(config.issuer + '/.well-known/openid-configuration', { headers: { Accept: 'application/json' } });
  }

  function redirectUri() {
    return location.origin + '/';
  }

  async function authorizeUrl(state, verifier, silent) {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: config.clientId,
      redirect_uri: redirectUri(),
      scope: config.scope,
      state: state,
      code_challenge: await challengeOf(verifier),
      code_challenge_method: 'S256',
    });
    if (silent) {
      query.set('prompt', 'none');
    }
    return discovery.authorization_endpoint + '?' + query;
  }

  async function exchange(code, verifier) {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: code,
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: verifier,
    });
    return json(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form,
    });
  }

  /** Checks the state of an answer from the issuer against the request's, then trades its code for tokens. */
  async function finish(search, expected) {
    const answer = new URLSearchParams(search);
    if (!expected || answer.get('state') !== expected.state) {
      throw Object.assign(new Error('the answer from the issuer does not match this page\'s request'), { code: 'state_mismatch' });
    }
    if (answer.get('error')) {
      throw Object.assign(new Error(answer.get('error_description') || answer.get('error')), { code: answer.get('error') });
    }
    return sessionOf(await exchange(answer.get('code'), expected.verifier));
  }

  // ---- session ----

  function adopt(next, reason) {
    session = next;
    clearTimeout(renewTimer);
    if (next) {
      sessionStorage.setItem(STORE, JSON.stringify(next));
      const lifetime = next.expiresAt - next.issuedAt;
      const lead = Math.min(RENEW_BEFORE_MS, lifetime / 4);
      renewTimer = setTimeout(() => renew().catch(() => { /* onChange reported it */ }), Math.max(0, next.expiresAt - lead - Date.now()));
    } else {
      sessionStorage.removeItem(STORE);
    }
    listeners.forEach((listener) => listener(next, reason));
  }

  function stored() {
    try {
      const value = JSON.parse(sessionStorage.getItem(STORE));
      return value && value.token && value.expiresAt > Date.now() ? value : null;
    } catch (e) {
      return null;
    }
  }

  async function start() {
    if (inFrame) {
      return new Promise(() => { /* the frame only hands over the answer */ });
    }
    await loadConfiguration();
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    const callback = /[?&](code|error)=/.test(location.search) ? location.search : null;
    sessionStorage.removeItem(PENDING);
    if (callback) {
      history.replaceState(null, '', location.pathname); // the code is single-use: keep it out of history and reloads
      try {
        adopt(await finish(callback, pending), 'signed-in');
      } catch (e) {
        adopt(null, pending && pending.silent && e.code === 'login_required' ? 'expired' : 'failed: ' + e.message);
      }
      return session;
    }
    const resumed = stored();
    if (resumed) {
      adopt(resumed, 'resumed');
    } else if (sessionStorage.getItem(STORE)) {
      sessionStorage.removeItem(STORE);
      return renew().catch(() => null); // expired while the tab was away
    }
    return session;
  }

  async function signIn() {
    await redirect(false);
  }

  async function redirect(silent) {
    const state = randomString();
    const verifier = randomString();
    sessionStorage.setItem(PENDING, JSON.stringify({ state: state, verifier: verifier, silent: silent }));
    location.assign(await authorizeUrl(state, verifier, silent));
    return new Promise(() => { /* leaving the page */ });
  }

  /** prompt=none in a hidden frame; resolves with the frame's answer (the query string), rejects if it cannot. */
  async function askInFrame(state, verifier) {
    const url = await authorizeUrl(state, verifier, true);
    return new Promise((resolve, reject) => {
      const frame = document.createElement('iframe');
      frame.hidden = true;
      frame.title = 'token renewal';
      let done = false;
      const finishWith = (fn, value) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          global.removeEventListener('message', onMessage);
          frame.remove();
          fn(value);
        }
      };
      const onMessage = (event) => {
        if (event.origin === location.origin && event.source === frame.contentWindow
            && event.data && event.data.type === 'live-page.authorization') {
          finishWith(resolve, event.data.search);
        }
      };
      frame.addEventListener('load', () => {
        try {
          void frame.contentWindow.location.href; // the redirect URI is this origin: readable once it rendered
        } catch (e) {
          finishWith(reject, new Error('the renewal frame was refused')); // framing forbidden, or stuck at the issuer
        }
      });
      const timer = setTimeout(() => finishWith(reject, new Error('no answer from the issuer')), FRAME_TIMEOUT_MS);
      global.addEventListener('message', onMessage);
      frame.src = url;
      document.body.appendChild(frame);
    });
  }

  function renew() {
    if (!renewing) {
      renewing = (async () => {
        const state = randomString();
        const verifier = randomString();
        let search;
        try {
          search = await askInFrame(state, verifier);
        } catch (e) {
          return redirect(true); // the same request as a full-page round trip; start() finishes it
        }
        try {
          adopt(await finish(search, { state: state, verifier: verifier }), 'renewed');
          return session;
        } catch (e) {
          adopt(null, e.code === 'login_required' ? 'expired' : 'failed: ' + e.message);
          throw e;
        }
      })().finally(() => { renewing = null; });
    }
    return renewing;
  }

  async function token() {
    if (!session) {
      throw new Error('not signed in');
    }
    if (session.expiresAt - Date.now() < 5000) {
      await renew();
    }
    return session.token;
  }

  function signOut() {
    const ended = session && session.idToken && discovery.end_session_endpoint;
    if (ended) {
      // ends the issuer's login session too, so that the next sign-in asks for the password again; the answer (a
      // redirect to the issuer's own pages) is of no use to the page, hence no-cors
      const query = new URLSearchParams({ id_token_hint: session.idToken, client_id: config.clientId });
      fetch(discovery.end_session_endpoint + '?' + query, { mode: 'no-cors', credentials: 'include' }).catch(() => {});
    }
    adopt(null, 'signed-out');
  }

  global.Auth = {
    inFrame: inFrame,
    start: start,
    signIn: signIn,
    signOut: signOut,
    renew: renew,
    token: token,
    config: () => config,
    session: () => session,
    onChange: (listener) => listeners.push(listener),
  };
})(window);
