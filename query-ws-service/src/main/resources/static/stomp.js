/*
 * A small STOMP 1.2 client over the browser's WebSocket, written for this page (no CDN, no dependency).
 * Features: CONNECT/CONNECTED, SUBSCRIBE/UNSUBSCRIBE, MESSAGE dispatch by subscription id, heart-beats both ways,
 * automatic reconnect with back-off (subscriptions are re-sent; per-order subscriptions therefore start again from a
 * fresh snapshot, which is exactly what the server promises).
 * Option connectHeaders: a function returning (a promise of) extra CONNECT headers, called before every (re)connect,
 * e.g. a fresh Authorization; if it fails the client stays disconnected until connect() is called again.
 * Option onError(frame): an ERROR frame (the server closes the connection after it).
 */
(function (global) {
  'use strict';

  const NUL = '\u0000';

  function escapeHeader(value) {
    return String(value).replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/:/g, '\\c');
  }

  function unescapeHeader(value) {
    return value.replace(/\\(.)/g, function (_, c) {
      return c === 'r' ? '\r' : c === 'n' ? '\n' : c === 'c' ? ':' : c;
    });
  }

  function encode(command, headers, body) {
    let frame = command + '\n';
    Object.keys(headers || {}).forEach(function (name) {
      frame += name + ':' + escapeHeader(headers[name]) + '\n';
    });
    return frame + '\n' + (body || '') + NUL;
  }

  function decode(raw) {
    const text = raw.replace(/^[\r\n]+/, '');
    if (!text) {
      return null; // heart-beat
    }
    const split = text.indexOf('\n\n');
    const head = split < 0 ? text : text.substring(0, split);
    const body = split < 0 ? '' : text.substring(split + 2);
    const lines = head.split('\n');
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      if (colon > 0) {
        const name = lines[i].substring(0, colon);
        if (!(name in headers)) {
          headers[name] = unescapeHeader(lines[i].substring(colon + 1).replace(/\r$/, ''));
        }
      }
    }
    return { command: lines[0].trim(), headers: headers, body: body };
  }

  function StompClient(url, options) {
    this.url = url;
    this.options = Object.assign(
      { heartbeat: 10000, onConnect: null, onDisconnect: null, onError: null, connectHeaders: null, debug: false }, options);
    this.subscriptions = new Map();
    this.nextId = 1;
    this.connected = false;
    this.buffer = '';
    this.retry = 0;
    this.closedByUser = false;
  }

  StompClient.prototype.connect = function () {
    const self = this;
    this.closedByUser = false;
    clearTimeout(this.reconnectTimer);
    Promise.resolve()
      .then(function () { return self.options.connectHeaders ? self.options.connectHeaders() : {}; })
      .then(function (extra) {
        if (!self.closedByUser) {
          self.open(extra || {});
        }
      }, function () { /* no credentials now: stay disconnected */ });
  };

  StompClient.prototype.open = function (extra) {
    const self = this;
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) {
      return; // already connecting or connected
    }
    const socket = new WebSocket(this.url, ['v12.stomp', 'v11.stomp']);
    this.socket = socket;
    socket.onopen = function () {
      const hb = self.options.heartbeat;
      socket.send(encode('CONNECT', Object.assign(
        { 'accept-version': '1.2,1.1', host: location.hostname, 'heart-beat': hb + ',' + hb }, extra)));
    };
    socket.onmessage = function (event) {
      self.lastReceived = Date.now();
      self.buffer += typeof event.data === 'string' ? event.data : '';
      let end;
      while ((end = self.buffer.indexOf(NUL)) >= 0) {
        const frame = decode(self.buffer.substring(0, end));
        self.buffer = self.buffer.substring(end + 1);
        if (frame) {
          self.handle(frame);
        }
      }
      if (/^[\r\n]+$/.test(self.buffer)) {
        self.buffer = '';
      }
    };
    socket.onclose = function (event) {
      const wasConnected = self.connected;
      self.connected = false;
      self.stopHeartbeats();
      if (self.options.onDisconnect) {
        self.options.onDisconnect(event, wasConnected);
      }
      if (!self.closedByUser) {
        const delay = Math.min(8000, 500 * Math.pow(2, self.retry++));
        self.reconnectTimer = setTimeout(function () { self.connect(); }, delay);
      }
    };
    socket.onerror = function () { /* onclose follows */ };
  };

  StompClient.prototype.handle = function (frame) {
    if (frame.command === 'CONNECTED') {
      this.connected = true;
      this.retry = 0;
      this.startHeartbeats(frame.headers['heart-beat']);
      const self = this;
      this.subscriptions.forEach(function (sub, id) { self.sendSubscribe(id, sub.destination); });
      if (this.options.onConnect) {
        this.options.onConnect(frame);
      }
    } else if (frame.command === 'MESSAGE') {
      const sub = this.subscriptions.get(frame.headers.subscription);
      if (sub) {
        sub.callback(frame);
      }
    } else if (frame.command === 'ERROR') {
      if (this.options.debug) {
        console.warn('STOMP ERROR', frame.headers.message, frame.body);
      }
      if (this.options.onError) {
        this.options.onError(frame);
      }
    }
  };

  StompClient.prototype.startHeartbeats = function (serverHeartbeat) {
    const parts = String(serverHeartbeat || '0,0').split(',').map(Number);
    const self = this;
    const outgoing = Math.max(this.options.heartbeat, parts[1] || 0);
    const incoming = Math.max(this.options.heartbeat, parts[0] || 0);
    if (this.options.heartbeat > 0 && parts[1] > 0) {
      this.pinger = setInterval(function () {
        if (self.socket.readyState === WebSocket.OPEN) {
          self.socket.send('\n');
        }
      }, outgoing);
    }
    if (this.options.heartbeat > 0 && parts[0] > 0) {
      this.lastReceived = Date.now();
      this.watchdog = setInterval(function () {
        if (Date.now() - self.lastReceived > incoming * 3) {
          self.socket.close(); // the server went silent: reconnect
        }
      }, incoming);
    }
  };

  StompClient.prototype.stopHeartbeats = function () {
    clearInterval(this.pinger);
    clearInterval(this.watchdog);
  };

  StompClient.prototype.sendSubscribe = function (id, destination) {
    this.socket.send(encode('SUBSCRIBE', { id: id, destination: destination, ack: 'auto' }));
  };

  /** Subscribes now (or on connect) and after every reconnect; returns the subscription id. */
  StompClient.prototype.subscribe = function (destination, callback) {
    const id = 'sub-' + this.nextId++;
    this.subscriptions.set(id, { destination: destination, callback: callback });
    if (this.connected) {
      this.sendSubscribe(id, destination);
    }
    return id;
  };

  StompClient.prototype.unsubscribe = function (id) {
    if (this.subscriptions.delete(id) && this.connected) {
      this.socket.send(encode('UNSUBSCRIBE', { id: id }));
    }
  };

  /** Forgets every subscription (e.g. when the signed-in principal changes). */
  StompClient.prototype.unsubscribeAll = function () {
    const self = this;
    Array.from(this.subscriptions.keys()).forEach(function (id) { self.unsubscribe(id); });
  };

  StompClient.prototype.disconnect = function () {
    this.closedByUser = true;
    clearTimeout(this.reconnectTimer);
    if (this.socket) {
      this.socket.close();
    }
  };

  global.StompClient = StompClient;
})(window);
