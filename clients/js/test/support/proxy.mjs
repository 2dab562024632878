import net from 'node:net';

/**
 * A TCP proxy between the client and the front that a test can cut: `cut()` destroys every connection through it,
 * `refuse()` makes new connections fail until `restore()`, `mute()` stops the server's bytes from reaching the client
 * (the client's still reach the server), as when a network path dies halfway.
 */
export async function startProxy(targetPort) {
  const pairs = new Set();
  let refusing = false;
  let muted = false;
  let connections = 0;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    connections++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!muted) {
        client.write(chunk);
      }
    });
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    /** Connections accepted so far. */
    get connections() {
      return connections;
    },
    /** Connections open right now. */
    get open() {
      return pairs.size;
    },
    cut() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    refuse() {
      refusing = true;
      this.cut();
    },
    mute() {
      muted = true;
    },
    restore() {
      refusing = false;
      muted = false;
    },
    async close() {
      this.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
