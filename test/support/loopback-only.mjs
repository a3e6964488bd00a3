// Preloaded into a CLI process a test starts (`node --import ./test/support/loopback-only.mjs`):
// a connection to anything but loopback throws before any DNS query or packet, so a code path
// that ignores an endpoint override fails the test instead of reaching the internet.
import net from 'node:net';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  const host =
    typeof options === 'object' && options !== null ? (options.host ?? 'localhost') : typeof args[1] === 'string' ? args[1] : 'localhost';
  const path =
    typeof options === 'object' && options !== null
      ? options.path
      : typeof options === 'string' && !/^\d+$/.test(options)
        ? options
        : undefined;
  if (!path && !LOOPBACK.test(String(host).replace(/^\[|\]$/g, ''))) throw new Error(`loopback-only: refused a connection to ${host}`);
  return connect.apply(this, args);
};
