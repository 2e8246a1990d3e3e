/*
 * The live page, for the signed-in principal (auth.js): a table of its recent orders kept current over STOMP
 * (/topic/accounts.{accountId} for each account of its token; /topic/orders, every order, for orders:admin), a status
 * filter, a form that submits orders as that principal (POST /api/submit, forwarded with the token to ingest-api's
 * POST /orders), a per-order detail (/topic/orders.{id}: snapshot, then deltas) with its fills, its states and, while
 * the order works, Cancel and Amend (POST /api/orders/{id}/cancel, PATCH /api/orders/{id}: forwarded to ingest-api
 * like a submit), and the positions of the principal's accounts (GET /accounts/{id}/positions, reloaded when a fill
 * arrives). Every REST call and the STOMP CONNECT carry the access token. The order's history and the operator view
 * (orders:admin) are operator.js's.
 */
(function () {
  'use strict';

  if (Auth.inFrame) {
    return; // the silent-renewal frame: auth.js handed its answer to the page
  }

  const MAX_ROWS = 200;
  const orders = new Map();        // orderId -> latest state seen
  const changed = new Set();       // orderIds to flash on next render
  let filter = '';
  let selected = null;             // { orderId, subscription }
  let positionsQueued = null;      // timer of the next positions reload
  const WORKING = new Set(['PENDING', 'RETRYING', 'PLACED', 'PARTIALLY_FILLED']);
  const STATUSES = ['PENDING', 'RETRYING', 'PLACED', 'PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'FAILED', 'CANCELLED',
    'EXPIRED'];
  let renderQueued = false;
  let refused = false;             // the server sent an ERROR (e.g. a refused or expired token) since the last CONNECT

  const $ = (id) => document.getElementById(id);
  const body = $('orders-body');

  // ---- data ----

  function upsert(order) {
    const known = orders.get(order.orderId);
    if (known && known.version >= order.version) {
      return false; // never go back: STOMP, REST and reconnects may deliver a state more than once
    }
    orders.set(order.orderId, order);
    changed.add(order.orderId);
    scheduleRender();
    if (order.filledQuantity !== (known ? known.filledQuantity : 0)) {
      schedulePositions(); // a new fill moved a position
    }
    return true;
  }

  /** fetch with the access token; a 401 (expired between check and use) renews the token once and tries again. */
  async function authorized(url, init) {
    const withToken = async () => {
      const headers = Object.assign({}, init && init.headers, { Authorization: 'Bearer ' + await Auth.token() });
      return fetch(url, Object.assign({}, init, { headers: headers }));
    };
    const response = await withToken();
    if (response.status !== 401) {
      return response;
    }
    await Auth.renew();
    return withToken();
  }

  async function load() {
    if (!Auth.session()) {
      return;
    }
    const query = '/orders?limit=100' + (filter ? '&status=' + encodeURIComponent(filter) : '');
    try {
      const response = await authorized(query, { headers: { Accept: 'application/json' } });
      if (response.ok) {
        const page = await response.json();
        page.items.forEach(upsert);
      }
    } catch (e) {
      // the live feed still fills the table
    }
    scheduleRender();
  }

  // ---- rendering ----

  function scheduleRender() {
    if (!renderQueued) {
      renderQueued = true;
      requestAnimationFrame(render);
    }
  }

  function newestFirst(a, b) {
    if (a.createdAt !== b.createdAt) {
      return a.createdAt < b.createdAt ? 1 : -1;
    }
    return a.orderId < b.orderId ? -1 : 1;
  }

  function render() {
    renderQueued = false;
    const rows = Array.from(orders.values())
      .filter((o) => !filter || o.status === filter)
      .sort(newestFirst)
      .slice(0, MAX_ROWS);
    const fragment = document.createDocumentFragment();
    rows.forEach((o) => fragment.appendChild(row(o)));
    body.replaceChildren(fragment);
    $('empty').hidden = rows.length > 0;
    changed.clear();
    renderStats();
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text == null ? '—' : text;
    if (className) {
      td.className = className;
    }
    return td;
  }

  function badge(status) {
    const span = document.createElement('span');
    span.className = 'badge';
    span.dataset.status = status;
    span.textContent = status;
    return span;
  }

  function time(iso) {
    if (!iso) {
      return '—';
    }
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  /** Open quantity: the venue's LeavesQty once reported; before that (not at the venue yet) all of it unless done. */
  function leaves(o) {
    if (o.leavesQuantity != null) {
      return o.leavesQuantity;
    }
    return WORKING.has(o.status) ? o.quantity - (o.filledQuantity || 0) : 0;
  }

  function row(o) {
    const tr = document.createElement('tr');
    tr.dataset.orderId = o.orderId;
    tr.dataset.status = o.status;
    tr.dataset.version = o.version;
    if (changed.has(o.orderId)) {
      tr.classList.add('flash');
    }
    if (selected && selected.orderId === o.orderId) {
      tr.classList.add('selected');
    }
    tr.appendChild(cell(time(o.createdAt)));
    tr.appendChild(cell(o.orderId.substring(0, 8) + '…', 'mono'));
    tr.appendChild(cell(o.accountId));
    tr.appendChild(cell(o.symbol));
    tr.appendChild(cell(o.side, 'side-' + o.side));
    tr.appendChild(cell(o.quantity, 'num'));
    tr.appendChild(cell(o.price == null ? 'MKT' : o.price, 'num'));
    tr.appendChild(cell(o.filledQuantity || 0, 'num filled'));
    tr.appendChild(cell(leaves(o), 'num leaves'));
    tr.appendChild(cell(o.averagePrice, 'num avg-price'));
    const status = document.createElement('td');
    status.className = 'status';
    status.appendChild(badge(o.status));
    tr.appendChild(status);
    tr.appendChild(cell(o.version, 'num'));
    tr.title = o.orderId + (o.reasons && o.reasons.length ? ' — ' + o.reasons.join(', ') : '');
    tr.addEventListener('click', () => openDetail(o.orderId));
    return tr;
  }

  function renderStats() {
    const counts = {};
    orders.forEach((o) => { counts[o.status] = (counts[o.status] || 0) + 1; });
    const stats = $('stats');
    stats.replaceChildren();
    STATUSES.forEach((s) => {
      if (counts[s]) {
        const span = document.createElement('span');
        span.className = 'stat';
        span.innerHTML = '<b></b> ' + s.toLowerCase().replace('_', ' ');
        span.querySelector('b').textContent = counts[s];
        stats.appendChild(span);
      }
    });
  }

  // ---- live feed ----

  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const stomp = new StompClient(scheme + location.host + '/ws', {
    // the server closes a session when its token expires (or refuses a stale one): come back with a fresh token
    connectHeaders: async () => {
      if (refused && Auth.session()) {
        await Auth.renew(); // our clock may think the refused token still valid; Auth.token() renews expired ones
      }
      refused = false;
      return { Authorization: 'Bearer ' + await Auth.token() };
    },
    onConnect: () => {
      setConnection('connected', 'Live');
      load(); // catch up on anything missed while disconnected
    },
    onError: () => { refused = true; },
    onDisconnect: () => {
      if (Auth.session()) {
        setConnection('disconnected', 'Reconnecting…');
      }
    },
  });

  function subscribeFeeds(session) {
    const onState = (frame) => upsert(JSON.parse(frame.body));
    if (session.admin) {
      stomp.subscribe('/topic/orders', onState);
    } else {
      session.accounts.forEach((account) => stomp.subscribe('/topic/accounts.' + account, onState));
    }
  }

  function setConnection(state, text) {
    $('connection').dataset.state = state;
    $('connection-text').textContent = text;
  }

  // ---- filter ----

  $('filters').addEventListener('click', (event) => {
    const chip = event.target.closest('.chip');
    if (!chip) {
      return;
    }
    document.querySelectorAll('.chip').forEach((c) => c.classList.toggle('active', c === chip));
    filter = chip.dataset.status;
    load();
  });

  // ---- detail: one order's snapshot and deltas, its fills, cancel and amend ----

  function openDetail(orderId) {
    if (selected) {
      stomp.unsubscribe(selected.subscription);
    }
    const timeline = $('timeline');
    timeline.replaceChildren();
    $('detail').hidden = false;
    $('detail-id').textContent = orderId;
    $('detail-summary').replaceChildren();
    $('fills-body').replaceChildren();
    $('fills-empty').hidden = false;
    $('detail-actions').hidden = true;
    $('detail-result').textContent = '';
    $('detail-result').className = 'result';
    let latest = null;
    Operator.history(orderId);
    const subscription = stomp.subscribe('/topic/orders.' + orderId, (frame) => {
      const o = JSON.parse(frame.body);
      upsert(o);
      Operator.historyChanged(orderId);
      const li = document.createElement('li');
      li.dataset.version = o.version;
      const kind = document.createElement('div');
      kind.className = 'kind';
      kind.textContent = (frame.headers['message-kind'] || 'update') + ' · v' + o.version;
      const meta = document.createElement('div');
      meta.className = 'meta';
      const extra = [];
      if (o.attempts) extra.push('attempt ' + o.attempts);
      if (o.exchangeOrderId) extra.push('exchange ' + o.exchangeOrderId);
      if (o.filledQuantity) extra.push('filled ' + o.filledQuantity + ' @ ' + o.averagePrice);
      if (o.pendingRequest) extra.push(o.pendingRequest.toLowerCase() + ' requested');
      if (o.reasons && o.reasons.length) extra.push(o.reasons.join(', '));
      if (o.lastError) extra.push(o.lastError);
      meta.textContent = time(o.updatedAt) + (extra.length ? ' · ' + extra.join(' · ') : '');
      li.append(kind, badge(o.status), meta);
      timeline.appendChild(li);
      if (!latest || o.version > latest.version) {
        latest = o;
        renderDetail(o);
      }
    });
    selected = { orderId: orderId, subscription: subscription };
    scheduleRender();
  }

  function renderDetail(o) {
    const summary = $('detail-summary');
    summary.replaceChildren();
    const facts = [
      ['Status', o.status], ['Side', o.side + ' ' + o.symbol], ['Quantity', o.quantity],
      ['Limit', o.price == null ? 'MKT' : o.price], ['Filled', o.filledQuantity || 0], ['Leaves', leaves(o)],
      ['Avg price', o.averagePrice == null ? '—' : o.averagePrice],
    ];
    if (o.pendingRequest) {
      facts.push(['Pending', o.pendingRequest + (o.pendingQuantity ? ' qty ' + o.pendingQuantity : '')
        + (o.pendingPrice ? ' @ ' + o.pendingPrice : '')]);
    }
    facts.forEach(([name, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dd.dataset.fact = name.toLowerCase().replace(' ', '-');
      summary.append(dt, dd);
    });
    const fills = $('fills-body');
    fills.replaceChildren();
    (o.fills || []).forEach((f) => {
      const tr = document.createElement('tr');
      tr.dataset.executionId = f.executionId;
      tr.append(cell(time(f.executedAt)), cell(f.executionId, 'mono'), cell(f.quantity, 'num'), cell(f.price, 'num'));
      fills.appendChild(tr);
    });
    $('fills-empty').hidden = (o.fills || []).length > 0;
    const working = WORKING.has(o.status) && !o.pendingRequest;
    $('detail-actions').hidden = !working;
    $('amend-price').hidden = o.orderType !== 'LIMIT';
    if (document.activeElement !== $('amend-quantity')) {
      $('amend-quantity').value = o.quantity;
    }
    if (document.activeElement !== $('amend-price')) {
      $('amend-price').value = o.price == null ? '' : o.price;
    }
  }

  function showDetailResult(kind, text, details) {
    const result = $('detail-result');
    result.className = 'result ' + kind;
    result.textContent = text;
    if (details && details.length) {
      result.append(' — ' + details.join('; '));
    }
  }

  /** Sends a cancel or amend for the selected order through this service's proxy to ingest-api. */
  async function request(path, init, what) {
    if (!selected) {
      return;
    }
    try {
      const response = await authorized(path, Object.assign({}, init, {
        headers: Object.assign({ Accept: 'application/json, application/problem+json', 'Idempotency-Key': idempotencyKey() },
          init.headers),
      }));
      const text = await response.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
      if (response.ok) {
        showDetailResult('ok', what + ' requested (' + ((json && json.status) || response.status) + ')');
      } else {
        showDetailResult('error', (json && (json.title || json.detail)) || ('HTTP ' + response.status),
          problemDetails(json));
      }
    } catch (e) {
      showDetailResult('error', 'Could not reach the service: ' + e.message);
    }
  }

  $('cancel-order').addEventListener('click', () => {
    if (selected) {
      request('/api/orders/' + encodeURIComponent(selected.orderId) + '/cancel', { method: 'POST' }, 'Cancel');
    }
  });

  $('amend-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!selected) {
      return;
    }
    const known = orders.get(selected.orderId);
    const change = {};
    const quantity = Number($('amend-quantity').value);
    if (quantity && (!known || quantity !== known.quantity)) {
      change.quantity = quantity;
    }
    const price = $('amend-price').value.trim();
    if (!$('amend-price').hidden && price && (!known || price !== known.price)) {
      change.price = price;
    }
    if (!Object.keys(change).length) {
      showDetailResult('error', 'Change the quantity or the limit price first');
      return;
    }
    request('/api/orders/' + encodeURIComponent(selected.orderId),
      { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(change) }, 'Amend');
  });

  $('detail-close').addEventListener('click', () => {
    if (selected) {
      stomp.unsubscribe(selected.subscription);
      selected = null;
    }
    $('detail').hidden = true;
    scheduleRender();
  });

  // ---- positions of the principal's accounts, from fills ----

  function schedulePositions() {
    if (positionsQueued == null) {
      positionsQueued = setTimeout(loadPositions, 300); // one reload for a burst of fills
    }
  }

  async function loadPositions() {
    positionsQueued = null;
    const session = Auth.session();
    // an operator without accounts of its own sees every account: no single account to show
    if (!session || !session.accounts.length) {
      $('positions').hidden = true;
      return;
    }
    $('positions').hidden = false;
    const rows = [];
    for (const account of session.accounts) {
      try {
        const response = await authorized('/accounts/' + encodeURIComponent(account) + '/positions',
          { headers: { Accept: 'application/json' } });
        if (response.ok) {
          (await response.json()).positions.forEach((p) => rows.push(Object.assign({ accountId: account }, p)));
        }
      } catch (e) {
        // shown again with the next fill
      }
    }
    const body = $('positions-body');
    body.replaceChildren();
    rows.forEach((p) => {
      const tr = document.createElement('tr');
      tr.dataset.account = p.accountId;
      tr.dataset.symbol = p.symbol;
      tr.append(cell(p.accountId), cell(p.symbol), cell(p.netQuantity, 'num net'), cell(p.averageCost, 'num'),
        cell(p.buyQuantity, 'num'), cell(p.sellQuantity, 'num'), cell(p.realizedPnl, 'num'));
      body.appendChild(tr);
    });
    $('positions-empty').hidden = rows.length > 0;
  }

  // ---- submit ----

  const form = $('order-form');

  function offerAccounts(session) {
    const select = $('account');
    select.replaceChildren();
    (session ? session.accounts : []).forEach((account) => {
      const option = document.createElement('option');
      option.value = account;
      option.textContent = account;
      select.appendChild(option);
    });
    const anyAccount = Boolean(session && session.admin && session.accounts.length === 0);
    select.hidden = anyAccount;
    $('account-any').hidden = !anyAccount;
    $('submit').disabled = !session;
  }

  form.addEventListener('change', () => {
    $('price').disabled = form.orderType.value === 'MARKET';
  });

  function idempotencyKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    return 'k-' + Date.now() + '-' + Math.random().toString(16).slice(2);
  }

  function showResult(kind, text, details) {
    const result = $('submit-result');
    result.className = 'result ' + kind;
    result.textContent = text;
    if (details && details.length) {
      const list = document.createElement('ul');
      details.forEach((d) => {
        const li = document.createElement('li');
        li.textContent = d;
        list.appendChild(li);
      });
      result.appendChild(list);
    }
  }

  function problemDetails(problem) {
    const details = [];
    const errors = problem && (problem.errors || problem.fieldErrors || problem.invalidParams);
    if (Array.isArray(errors)) {
      errors.forEach((e) => details.push(typeof e === 'string' ? e : (e.field || e.name || '') + ': ' + (e.message || e.reason || JSON.stringify(e))));
    } else if (errors && typeof errors === 'object') {
      Object.keys(errors).forEach((k) => details.push(k + ': ' + errors[k]));
    }
    return details;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = $('submit');
    button.disabled = true;
    const session = Auth.session();
    if (!session) {
      showResult('error', 'Sign in to submit orders');
      return;
    }
    const order = {
      accountId: ($('account').hidden ? $('account-any').value : $('account').value).trim(),
      clientOrderId: 'web-' + Date.now().toString(36),
      symbol: form.symbol.value,
      side: form.side.value,
      orderType: form.orderType.value,
      quantity: Number(form.quantity.value),
    };
    if (order.orderType === 'LIMIT') {
      order.price = form.price.value.trim();
    }
    try {
      // same origin: POST /api/submit forwards the order and the token to ingest-api's POST /orders (no CORS there);
      // the same Idempotency-Key if authorized() retries with a renewed token: at most one order either way
      const response = await authorized('/api/submit', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json',
          'Idempotency-Key': idempotencyKey() },
        body: JSON.stringify(order),
      });
      const text = await response.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
      if (response.ok && json && json.orderId) {
        const result = $('submit-result');
        result.dataset.orderId = json.orderId;
        showResult('ok', 'Accepted ' + json.orderId + ' (' + (json.status || 'PENDING') + ')');
        openDetail(json.orderId);
      } else {
        const title = (json && (json.title || json.detail)) || ('HTTP ' + response.status);
        showResult('error', title, problemDetails(json));
      }
    } catch (e) {
      showResult('error', 'Could not reach the service: ' + e.message);
    } finally {
      button.disabled = !Auth.session();
    }
  });

  // ---- who is signed in ----

  const NOTICES = {
    expired: 'Signed out — your session at the issuer ended. Sign in again.',
    'signed-out': 'Signed out.',
  };

  function showSession(session, reason) {
    $('user').dataset.state = session ? 'signed-in' : 'signed-out';
    $('user-name').textContent = session ? session.subject : '';
    $('user-accounts').textContent = session
      ? (session.admin ? 'all accounts (orders:admin)' : session.accounts.join(', ') || 'no accounts') : '';
    $('user').dataset.expiresAt = session ? String(session.expiresAt) : '';
    $('sign-in').hidden = Boolean(session);
    $('sign-out').hidden = !session;
    const notice = $('auth-notice');
    const text = session ? '' : NOTICES[reason] || (reason && reason.startsWith('failed') ? 'Sign-in ' + reason : '');
    notice.textContent = text;
    notice.hidden = !text;
    $('empty').textContent = session ? 'No orders yet — submit one.' : 'Sign in to see your orders.';
  }

  let principal = null; // subject and accounts the feeds were subscribed for

  Auth.onChange((session, reason) => {
    showSession(session, reason);
    const who = session ? session.subject + '|' + session.admin + '|' + session.accounts.join(',') : null;
    if (who === principal) {
      return; // a renewed token for the same principal: the connection picks it up when it reconnects
    }
    principal = who;
    stomp.disconnect();
    stomp.unsubscribeAll();
    selected = null;
    $('detail').hidden = true;
    $('positions').hidden = true;
    orders.clear();
    offerAccounts(session);
    scheduleRender();
    if (session) {
      subscribeFeeds(session);
      setConnection('connecting', 'Connecting…');
      stomp.connect();
      load();
      loadPositions();
    } else {
      setConnection('signed-out', 'Not connected');
    }
  });

  $('sign-in').addEventListener('click', () => Auth.signIn());
  $('sign-out').addEventListener('click', () => Auth.signOut());

  offerAccounts(null);
  Auth.start().then((session) => {
    if (!session && $('user').dataset.state === 'unknown') {
      showSession(null, null); // a first visit: nothing happened yet, just offer the sign-in
    }
  }, (e) => {
    const notice = $('auth-notice');
    notice.textContent = 'The sign-in service is unreachable: ' + e.message;
    notice.hidden = false;
  });
})();
