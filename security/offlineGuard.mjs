// Imported first by tools that would phone home (electronegativity fetches translations from GitHub on
// every run): any connection that is not to loopback fails at once, so the tool falls back to its
// bundled files and nothing leaves the machine.
import dns from 'node:dns';
import net from 'node:net';

const loopback = new Set(['127.0.0.1', '::1', 'localhost']);
const refuse = (host) => {
  const error = new Error(`offline: connection to ${host} refused`);
  error.code = 'ECONNREFUSED';
  return error;
};

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : { host: args[1] };
  const host = options.path ? 'localhost' : String(options.host ?? 'localhost');
  if (!loopback.has(host)) {
    process.nextTick(() => this.destroy(refuse(host)));
    return this;
  }
  return originalConnect.apply(this, args);
};

const refuseLookup = (hostname, options, callback) => {
  const done = typeof options === 'function' ? options : callback;
  if (loopback.has(hostname))
    return done(null, hostname === '::1' ? '::1' : '127.0.0.1', hostname === '::1' ? 6 : 4);
  process.nextTick(() => done(refuse(hostname)));
};
dns.lookup = refuseLookup;
