/*
 * A guard on Node's socket layer for the whole-session test, loaded into the test's process and
 * into every worker thread it starts. Every outbound socket (net.Socket#connect, which undici, http,
 * https, ws and tls all end in), every tls.connect and every DNS lookup is appended as one JSON
 * line to the file named by HEARTH_NET_GUARD_LOG. Connections to anything but loopback are
 * refused on the spot, so a leak found by the test never actually leaves the machine.
 * Plain CommonJS: a worker thread loads it with require() before its own module.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, so a worker thread can require() it first */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const tls = require('node:tls');
const dns = require('node:dns');

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);
const logPath = process.env.HEARTH_NET_GUARD_LOG;

function isLoopback(host) {
  return host === undefined || host === null || host === '' || LOOPBACK.has(String(host).toLowerCase());
}

function record(kind, target) {
  const entry = { kind, ...target, loopback: target.path !== undefined || isLoopback(target.host) };
  if (logPath) fs.appendFileSync(logPath, `${JSON.stringify(entry)}\n`);
  return entry;
}

function targetOf(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // net.connect(port, host) arrives normalized
  if (first && typeof first === 'object') {
    return first.path !== undefined ? { path: String(first.path) } : { host: first.host, port: first.port };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
}

if (!globalThis.__hearthNetGuard) {
  globalThis.__hearthNetGuard = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const entry = record('socket', targetOf(args));
    if (!entry.loopback) {
      process.nextTick(() => this.destroy(new Error(`network guard: refused ${entry.host}:${entry.port}`)));
      return this;
    }
    return connect.apply(this, args);
  };
  const tlsConnect = tls.connect;
  tls.connect = function guardedTlsConnect(...args) {
    record('tls', targetOf(args));
    return tlsConnect.apply(this, args);
  };
  const lookup = dns.lookup;
  dns.lookup = function guardedLookup(hostname, ...rest) {
    record('dns', { host: hostname });
    return lookup.call(this, hostname, ...rest);
  };
  const lookupPromise = dns.promises.lookup;
  dns.promises.lookup = function guardedLookupPromise(hostname, ...rest) {
    record('dns', { host: hostname });
    return lookupPromise.call(this, hostname, ...rest);
  };
}
