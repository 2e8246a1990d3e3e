/*
 * The order history of the detail view and, for orders:admin only, the operator view: dead letters of both topics
 * (GET /admin/dead-letters?topic=place|dlq) with their reasons and a Re-drive button (POST
 * /api/admin/dead-letters/{ref}/redrive), the counts by reason (GET /admin/dead-letters/summary), the FAILED orders with
 * a Replay button (POST /api/admin/orders/{id}/replay) and a replay of every FAILED order matching a reason (POST
 * /admin/orders/replay?reason=), and the venue's sessions and failure rate (GET /api/venue/state). Replays and
 * re-drives go to ingest-api with the operator's token; the page never decides what an operator may do.
 *
 *   Operator.history(orderId) -> loads the order's events (GET /orders/{id}/events, every page) into #history
 */
(function (global) {
  'use strict';

  const $ = (id) => document.getElementById(id);
  let historyOf = null;      // the order whose history is shown
  let historyQueued = null;  // timer of the next history reload

  async function authorized(url, init) {
    const call = async () => fetch(url, Object.assign({}, init, {
      headers: Object.assign({ Accept: 'application/json' }, init && init.headers,
        { Authorization: 'Bearer ' + await Auth.token() }),
    }));
    const response = await call();
    if (response.status !== 401) {
      return response;
    }
    await Auth.renew();
    return call();
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text != null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function badge(status) {
    const span = el('span', status, 'badge');
    span.dataset.status = status;
    return span;
  }

  function time(iso) {
    return iso ? new Date(iso).toISOString().replace('T', ' ').replace('Z', '') : '—';
  }

  // ---- history of the open order ----

  function history(orderId) {
    historyOf = orderId;
    $('history').replaceChildren();
    clearTimeout(historyQueued);
    historyQueued = setTimeout(() => loadHistory(orderId), 0);
  }

  /** Reloads the open order's history soon (a new state arrived: its event is on its way to the history store). */
  function historyChanged(orderId) {
    if (orderId !== historyOf) return;
    clearTimeout(historyQueued);
    historyQueued = setTimeout(() => loadHistory(orderId), 300);
  }

  async function loadHistory(orderId) {
    const events = [];
    let cursor = null;
    try {
      do {
        const response = await authorized('/orders/' + encodeURIComponent(orderId) + '/events?limit=200'
          + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
        if (!response.ok) return;
        const page = await response.json();
        events.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && events.length < 5000);
    } catch (e) {
      return; // the states timeline still shows what happened
    }
    if (orderId !== historyOf) return;
    const list = $('history');
    list.replaceChildren(...events.map((e) => {
      const li = el('li');
      li.dataset.type = e.type;
      li.dataset.version = e.version;
      const extra = [];
      if (e.previousStatus && e.previousStatus !== e.status) extra.push(e.previousStatus + ' → ' + e.status);
      if (e.fill) extra.push('fill ' + e.fill.quantity + ' @ ' + e.fill.price + ' (' + e.fill.executionId + ')');
      if (e.reasons && e.reasons.length) extra.push(e.reasons.join(', '));
      if (e.detail) extra.push(e.detail);
      if (e.principal) extra.push('by ' + e.principal);
      li.append(el('div', e.type + ' · v' + e.version, 'kind'), badge(e.status),
        el('div', time(e.occurredAt) + (extra.length ? ' · ' + extra.join(' · ') : ''), 'meta'));
      return li;
    }));
    $('history-empty').hidden = events.length > 0;
  }

  // ---- operator view ----

  function result(text, kind) {
    const node = $('operator-result');
    node.textContent = text;
    node.className = 'result ' + (kind || '');
  }

  async function post(url, what) {
    try {
      const response = await authorized(url, { method: 'POST' });
      const text = await response.text();
      let json = null;
      try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
      result(what + ': HTTP ' + response.status + (json ? ' ' + JSON.stringify(json) : ''),
        response.ok ? 'ok' : 'error');
    } catch (e) {
      result(what + ': ' + e.message, 'error');
    }
    setTimeout(refresh, 500);
  }

  function button(label, onClick, disabled) {
    const b = el('button', label, 'ghost-button small');
    b.type = 'button';
    b.disabled = Boolean(disabled);
    b.addEventListener('click', (event) => { event.stopPropagation(); onClick(); });
    return b;
  }

  async function json(url) {
    const response = await authorized(url);
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  }

  function renderDeadLetters(tbody, items) {
    tbody.replaceChildren(...items.map((d) => {
      const tr = el('tr');
      tr.dataset.ref = d.ref;
      tr.append(el('td', time(d.timestamp)), el('td', d.ref, 'mono'), el('td', d.orderId || d.key || '—', 'mono'),
        el('td', d.reason), el('td', d.originalTopic || '—'),
        el('td', d.attempts == null ? '' : d.attempts, 'num'));
      const action = el('td');
      action.append(d.redriven ? el('span', 're-driven', 'muted')
        : button('Re-drive', () => post('/api/admin/dead-letters/' + encodeURIComponent(d.ref) + '/redrive',
          'Re-drive ' + d.ref)));
      tr.append(action);
      return tr;
    }));
  }

  function renderCounts(summary) {
    const list = $('dl-counts');
    list.replaceChildren();
    ['place', 'dlq'].forEach((topic) => {
      const counts = (summary[topic] && summary[topic].byReason) || {};
      Object.keys(counts).forEach((reason) => {
        const li = el('li');
        li.dataset.topic = topic;
        li.dataset.reason = reason;
        li.append(el('span', topic, 'chip small'), el('span', ' ' + reason + ' '), el('strong', counts[reason], 'count'));
        list.append(li);
      });
    });
    if (!list.children.length) list.append(el('li', 'No dead letters.', 'muted'));
  }

  function renderFailed(items) {
    $('failed-body').replaceChildren(...items.map((o) => {
      const tr = el('tr');
      tr.dataset.failedOrder = o.orderId; // not data-order-id: that names the rows of the orders table
      tr.append(el('td', time(o.updatedAt)), el('td', o.orderId, 'mono'), el('td', o.accountId),
        el('td', o.symbol), el('td', o.lastError || (o.reasons || []).join(', ') || '—'));
      const action = el('td');
      action.append(button('Replay', () => post('/api/admin/orders/' + encodeURIComponent(o.orderId) + '/replay',
        'Replay ' + o.orderId)));
      tr.append(action);
      return tr;
    }));
    $('failed-empty').hidden = items.length > 0;
  }

  function renderVenue(state) {
    const venue = $('venue-state');
    venue.replaceChildren();
    if (!state) {
      venue.append(el('span', 'venue unreachable', 'muted'));
      venue.dataset.state = 'unreachable';
      return;
    }
    venue.dataset.state = 'ok';
    (state.sessions || []).forEach((s) => {
      const span = el('span', s.id + ' ' + (s.loggedOn ? 'up' : 'down'), 'chip small session');
      span.dataset.loggedOn = String(Boolean(s.loggedOn));
      venue.append(span);
    });
    if (!(state.sessions || []).length) venue.append(el('span', 'no sessions', 'chip small session'));
    const rate = el('span', 'failure rate ' + (state.faults ? state.faults.failureRate : '?'), 'chip small');
    rate.id = 'venue-failure-rate';
    venue.append(rate);
  }

  async function refresh() {
    const session = Auth.session();
    if (!session || !session.admin) return;
    const settle = (promise) => promise.catch(() => null);
    const [summary, place, dlq, failed, venue] = await Promise.all([
      settle(json('/admin/dead-letters/summary')),
      settle(json('/admin/dead-letters?topic=place&limit=50')),
      settle(json('/admin/dead-letters?topic=dlq&limit=50')),
      settle(json('/orders?status=FAILED&limit=100')),
      settle(json('/api/venue/state')),
    ]);
    if (summary) renderCounts(summary);
    if (place) renderDeadLetters($('dl-place-body'), place.items);
    if (dlq) renderDeadLetters($('dl-dlq-body'), dlq.items);
    if (failed) renderFailed(failed.items);
    renderVenue(venue);
    $('operator').dataset.loaded = String(Date.now());
  }

  $('replay-matching').addEventListener('click', () => {
    const reason = $('replay-reason').value.trim();
    post('/admin/orders/replay' + (reason ? '?reason=' + encodeURIComponent(reason) : ''),
      'Replay FAILED' + (reason ? ' matching "' + reason + '"' : ''));
  });
  $('operator-refresh').addEventListener('click', () => refresh());

  Auth.onChange((session) => {
    const admin = Boolean(session && session.admin);
    $('operator').hidden = !admin;
    if (admin) refresh();
  });

  global.Operator = { history: history, historyChanged: historyChanged, refresh: refresh };
})(window);
