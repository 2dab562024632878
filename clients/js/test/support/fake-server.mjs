import { WebSocketServer } from 'ws';

/**
 * A scripted stand-in for the front, for behaviour the real one cannot be made to show on demand (a `busy` room,
 * `more: true` answers, `resync`, close codes). `handle(frame, connection)` answers each client frame; by default
 * the server welcomes every connection as `userId`. `refuseWith` answers the upgrade with that HTTP status instead;
 * `dropsToken(token)` true drops the upgrade's connection without an answer (a refusal as browsers report it).
 */
export async function startFakeServer({ handle = () => {}, userId = 'alice', inboxSeq = () => 0, refuseWith, dropsToken = () => false } = {}) {
  const connections = [];
  const frames = [];
  const server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    verifyClient: (info, done) => {
      if (dropsToken(new URL(info.req.url, 'http://fake').searchParams.get('access_token'))) {
        info.req.socket.destroy();
        return;
      }
      return refuseWith ? done(false, refuseWith) : done(true);
    },
  });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    const connection = {
      number: connections.length + 1,
      send: (frame) => socket.send(JSON.stringify(frame)),
      close: (code, reason = '') => socket.close(code, reason),
      drop: () => socket.terminate(),
    };
    connections.push(connection);
    connection.send({ type: 'welcome', connectionId: `c-${connection.number}`, userId, pingInterval: 30000, inboxSeq: inboxSeq(connection) });
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data));
      frames.push({ ...frame, connection: connection.number });
      handle(frame, connection);
    });
  });
  return {
    url: `ws://127.0.0.1:${server.address().port}/ws`,
    connections,
    /** Every frame received, with the number of the connection it came on. */
    frames,
    framesOf: (type) => frames.filter((f) => f.type === type),
    async close() {
      for (const client of server.clients) {
        client.terminate();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A room message frame. */
export const message = (room, seq, extra = {}) => ({ type: 'message', room, seq, from: 'bob', data: seq, ts: '2026-01-01T00:00:00.000Z', ...extra });

/** A `joined` answer. */
export const joined = (room, seq, extra = {}) => ({ type: 'joined', room, seq, recovered: true, members: [], unread: 0, readers: [], ...extra });
