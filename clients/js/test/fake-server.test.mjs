// The library against a scripted server: the wire additions being built alongside it (`more` pages, `resync`,
// `busy`, `too_many_rooms`, `rate_limited`) and close codes the real front cannot be made to send on demand.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import WebSocket from 'ws';
import { WeDrawOSClient } from '../dist/index.js';
import { joined, message, startFakeServer } from './support/fake-server.mjs';
import { mintToken } from './support/tokens.mjs';
import { collect, next, until } from './support/wait.mjs';

const servers = [];
const clients = [];

afterEach(async () => {
  clients.splice(0).forEach((c) => c.disconnect());
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options) {
  const server = await startFakeServer(options);
  servers.push(server);
  return server;
}

function clientOf(server, options = {}) {
  const client = new WeDrawOSClient({
    url: server.url,
    WebSocket,
    getToken: () => 'token',
    reconnect: { initialDelay: 20, maxDelay: 100 },
    gapTimeout: 100,
    ...options,
  });
  clients.push(client);
  return client;
}

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Answers room r's joins: the first (without since) at seq `first`, a rejoin with `rejoin(since)`. True when the frame was a join. */
function answerJoins(frame, connection, first, rejoin) {
  if (frame.type !== 'join') {
    return false;
  }
  connection.send(frame.since === undefined ? joined('r', first) : rejoin(frame.since));
  return true;
}

/** A connected client that joined room r, with the messages it delivers. */
async function joinedClient(server, options) {
  const client = clientOf(server, options);
  await client.connect();
  const room = client.room('r');
  await room.join();
  return { client, room, seen: collect(room, 'message') };
}

test('a recovery cut short with more: true pages on with history after the last seq', async () => {
  const server = await serve({
    handle(frame, connection) {
      if (answerJoins(frame, connection, 0, (since) => joined('r', 9, { messages: range(since + 1, 4).map((s) => message('r', s)), more: true }))) {
        return;
      }
      if (frame.type === 'history') {
        const to = Math.min(frame.after + 3, 9);
        connection.send({ type: 'history', room: 'r', messages: range(frame.after + 1, to).map((s) => message('r', s)), more: to < 9 });
      }
    },
  });
  const { seen } = await joinedClient(server);
  server.connections[0].send(message('r', 1));

  server.connections[0].drop();
  await until(() => seen.length === 9, 'nine messages');
  assert.deepEqual(seen.map((m) => m.seq), range(1, 9));
  assert.deepEqual(server.framesOf('history').map((f) => f.after), [4, 7]);
  assert.equal(server.framesOf('join').at(-1).since, 1);
});

test('an inbox catch-up cut short with more: true pages on with since', async () => {
  const server = await serve({
    inboxSeq: (connection) => (connection.number === 1 ? 0 : 5),
    handle(frame, connection) {
      if (frame.type === 'inbox') {
        const to = Math.min(frame.since + 2, 5);
        const messages = range(frame.since + 1, to).map((seq) => ({ type: 'message', seq, from: 'bob', to: 'alice', data: seq, ts: 't' }));
        connection.send({ type: 'inbox', messages, more: to < 5 });
      }
    },
  });
  const client = clientOf(server);
  const directs = collect(client, 'direct');
  await client.connect();

  server.connections[0].drop();
  await until(() => directs.length === 5, 'five direct messages');
  assert.deepEqual(directs.map((m) => m.seq), range(1, 5));
  assert.deepEqual(server.framesOf('inbox').map((f) => f.since), [0, 2, 4]);
  assert.equal(client.inboxSeq, 5);
});

test('resync makes the client rejoin the room with since, or read the inbox again', async () => {
  const server = await serve({
    handle(frame, connection) {
      if (!answerJoins(frame, connection, 3, (since) => joined('r', 5, { messages: range(since + 1, 5).map((s) => message('r', s)) }))
        && frame.type === 'inbox') {
        connection.send({ type: 'inbox', messages: [{ type: 'message', seq: 1, from: 'bob', to: 'alice', data: 'dm', ts: 't' }] });
      }
    },
  });
  const { client, seen } = await joinedClient(server);
  const directs = collect(client, 'direct');

  server.connections[0].send({ type: 'resync', room: 'r', recovered: false });
  server.connections[0].send({ type: 'resync', inbox: true, recovered: false });
  await until(() => seen.length === 2 && directs.length === 1, 'the resynced messages');
  assert.deepEqual(seen.map((m) => m.seq), [4, 5]);
  assert.equal(server.framesOf('join').at(-1).since, 3);
  assert.equal(server.framesOf('inbox')[0].since, 0);
});

test('a message ahead of a gap is held until recovery fills the gap', async () => {
  const server = await serve({
    handle: (frame, connection) => answerJoins(frame, connection, 0, (since) => joined('r', 3, { messages: range(since + 1, 3).map((s) => message('r', s)) })),
  });
  const { client, seen } = await joinedClient(server);

  server.connections[0].send(message('r', 1));
  server.connections[0].send(message('r', 3));
  server.connections[0].send(message('r', 1));
  await until(() => seen.length === 3, 'seqs 1 to 3');
  assert.deepEqual(seen.map((m) => m.seq), [1, 2, 3]);
  assert.equal(server.framesOf('join').at(-1).since, 1);
  assert.ok(client.stats.duplicates >= 2);
});

test('recovered: false is reported as a gap and later messages still come', async () => {
  const server = await serve({
    handle: (frame, connection) => answerJoins(frame, connection, 2, () => joined('r', 12, { recovered: false, messages: range(10, 12).map((s) => message('r', s)) })),
  });
  const { client, room, seen } = await joinedClient(server);
  const gap = next(room, 'gap');

  server.connections[0].drop();
  assert.deepEqual(await gap, { room: 'r', from: 3, to: 9 });
  await until(() => seen.length === 3, 'the kept messages');
  assert.deepEqual(seen.map((m) => m.seq), [10, 11, 12]);
  assert.equal(client.stats.gaps, 1);
});

test("a rejoin that finds the server's room behind the last seq (its state lost) resets the room and delivers its new seqs", async () => {
  const server = await serve({
    handle: (frame, connection) => answerJoins(frame, connection, 5, () => joined('r', 0)),
  });
  const { room, seen } = await joinedClient(server);
  const reset = next(room, 'reset');

  server.connections[0].drop();
  assert.deepEqual(await reset, { room: 'r', seq: 0 });
  server.connections[1].send(message('r', 1));
  await until(() => seen.length === 1, 'the first message after the reset');
  assert.equal(seen[0].seq, 1);
  assert.equal(room.lastSeq, 1);
});

test("a reconnect that finds the server's inbox behind the last inbox seq (its state lost) reports a reset and delivers its new seqs", async () => {
  const server = await serve({ inboxSeq: (connection) => (connection.number === 1 ? 5 : 0) });
  const client = clientOf(server);
  const directs = collect(client, 'direct');
  await client.connect();
  const reset = next(client, 'reset');

  server.connections[0].drop();
  assert.deepEqual(await reset, { inbox: true, seq: 0 });
  server.connections[1].send({ type: 'message', seq: 1, from: 'bob', to: 'alice', data: 'after the reset', ts: 't' });
  await until(() => directs.length === 1, 'the first direct message after the reset');
  assert.equal(client.inboxSeq, 1);
});

test('a send refused as busy or rate_limited is sent again with the same id after a back-off', async () => {
  let refusals = 0;
  const server = await serve({
    handle(frame, connection) {
      if (frame.type === 'send') {
        if (refusals < 2) {
          connection.send({ type: 'error', code: refusals++ === 0 ? 'busy' : 'rate_limited', message: 'later', id: frame.id });
        } else {
          connection.send({ type: 'ack', id: frame.id, seq: 1, duplicate: false });
        }
      }
    },
  });
  const client = clientOf(server);
  await client.connect();

  const ack = await client.sendTo('bob', 'hi', { id: 'my-id' });
  assert.deepEqual(ack, { id: 'my-id', seq: 1, duplicate: false });
  assert.deepEqual(server.framesOf('send').map((f) => f.id), ['my-id', 'my-id', 'my-id']);
});

test('a refused join (too_many_rooms) rejects with the code and the room is not joined', async () => {
  const server = await serve({
    handle(frame, connection) {
      if (frame.type === 'join') {
        connection.send({ type: 'error', code: 'too_many_rooms', message: 'too many rooms', id: frame.id });
      }
    },
  });
  const client = clientOf(server);
  await client.connect();
  const room = client.room('r101');
  const error = next(room, 'error');

  await assert.rejects(room.join(), (e) => e.code === 'too_many_rooms');
  assert.equal((await error).code, 'too_many_rooms');
  assert.equal(room.state, 'idle');
});

test('a room the server took away is not joined again through the old object, which would get nothing', async () => {
  const server = await serve({ handle: (frame, connection) => answerJoins(frame, connection, 0, (since) => joined('r', since)) });
  const { client, room } = await joinedClient(server);
  const left = next(room, 'left');
  server.connections[0].send({ type: 'left', room: 'r' });
  assert.deepEqual(await left, { room: 'r', revoked: true });

  await assert.rejects(room.join(), (e) => e.code === 'left');
  const again = client.room('r');
  assert.notEqual(again, room);
  await again.join();
  const seen = collect(again, 'message');
  server.connections[0].send(message('r', 1));
  await until(() => seen.length === 1, 'the message in the room joined again');
});

test('a 1008 close backs off as far as the back-off goes, then reconnects, as docs/protocol.md asks', async () => {
  const server = await serve({
    handle(frame, connection) {
      if (frame.type === 'send' && connection.number === 1) {
        connection.close(1008, 'rate limit ignored');
      } else if (frame.type === 'send') {
        connection.send({ type: 'ack', id: frame.id, seq: 1, duplicate: false });
      }
    },
  });
  const client = clientOf(server, { reconnect: { initialDelay: 20, maxDelay: 100, jitter: 0 } });
  await client.connect();
  const backingOff = next(client, 'state', (state) => state === 'reconnecting');

  const sent = client.sendTo('bob', 'hello', { id: 'after-1008' });
  const [, detail] = await backingOff;
  assert.deepEqual([detail.code, detail.delay], [1008, 100]);
  assert.deepEqual(await sent, { id: 'after-1008', seq: 1, duplicate: false });
  assert.equal(client.state, 'connected');
  assert.equal(server.connections.length, 2);
});

test('a 401 on the upgrade is retried once with a new token, then stops', async () => {
  const server = await serve({ refuseWith: 401 });
  const reasons = [];
  const client = clientOf(server, { getToken: ({ reason }) => (reasons.push(reason), 'token') });

  await assert.rejects(client.connect(), (e) => e.code === 'unauthorized');
  assert.deepEqual(reasons, ['connect', 'unauthorized']);
  assert.equal(client.state, 'disconnected');
});

test('connections that fail without a status (a refused token, as browsers see it) ask for a new token on the 2nd, 4th... failure', async () => {
  const old = mintToken('secret', 'alice-before');
  const server = await serve({ dropsToken: (token) => token === old });
  const reasons = [];
  const client = clientOf(server, {
    getToken: ({ reason }) => {
      reasons.push(reason);
      return reasons.length < 3 ? old : mintToken('secret', 'alice-after');
    },
  });

  await client.connect();
  // 1: the token fetched on connect is dropped; 2: re-used (still valid): dropped; 3: retry, and the source still
  // gives the old one: dropped; 4: re-used: dropped; 5: retry gives one the server takes.
  assert.deepEqual(reasons, ['connect', 'retry', 'retry']);
  assert.equal(server.connections.length, 1);
});

test('a server that cannot be reached is retried with growing, capped delays', async () => {
  const server = await serve({ refuseWith: 503 });
  const client = clientOf(server, { reconnect: { initialDelay: 10, maxDelay: 40, jitter: 0, maxAttempts: 5 } });
  const delays = [];
  client.on('state', (state, detail) => state === 'connecting' && detail.delay !== undefined && delays.push(detail.delay));

  await assert.rejects(client.connect(), (e) => e.code === 'gave_up');
  assert.deepEqual(delays, [10, 20, 40, 40, 40]);
});

test('a 1009 close rejects the frame the server was reading as too_large and keeps the others', async () => {
  let closed = false;
  const server = await serve({
    handle(frame, connection) {
      if (frame.type === 'send' && frame.data === 'huge' && !closed) {
        closed = true;
        connection.close(1009, 'too big');
      } else if (frame.type === 'send') {
        connection.send({ type: 'ack', id: frame.id, seq: 7, duplicate: false });
      }
    },
  });
  const client = clientOf(server, { sendWindow: 1 });
  await client.connect();

  const huge = client.sendTo('bob', 'huge');
  const small = client.sendTo('bob', 'small');
  await assert.rejects(huge, (e) => e.code === 'too_large');
  assert.equal((await small).seq, 7);
  assert.equal(server.framesOf('send').filter((f) => f.data === 'huge').length, 1);
});

test('a 1009 close while an earlier frame still waits for its answer rejects the large frame, not the earlier one', async () => {
  const server = await serve({
    handle(frame, connection) {
      if (frame.type !== 'send') {
        return;
      }
      if (frame.data.length > 1000) {
        connection.close(1009, 'too big');
      } else if (connection.number > 1) {
        // The first connection is still storing the small message when the large one arrives.
        connection.send({ type: 'ack', id: frame.id, seq: 7, duplicate: false });
      }
    },
  });
  const client = clientOf(server);
  await client.connect();

  const small = client.sendTo('bob', 'small');
  const huge = client.sendTo('bob', 'x'.repeat(5000));
  await assert.rejects(huge, (e) => e.code === 'too_large');
  assert.equal((await small).seq, 7);
  assert.equal(server.framesOf('send').filter((f) => f.data.length > 1000).length, 1);
});

test('sends beyond the bound are refused with queue_full, and unacked ones time out', async () => {
  const server = await serve();
  const client = clientOf(server, { maxPendingSends: 2, sendTimeout: 200 });
  await client.connect();

  const first = client.sendTo('bob', 1);
  const second = client.sendTo('bob', 2);
  await assert.rejects(client.sendTo('bob', 3), (e) => e.code === 'queue_full');
  await assert.rejects(first, (e) => e.code === 'timeout');
  await assert.rejects(second, (e) => e.code === 'timeout');
});

test('an ack that comes after sendTimeout still delivers the stored message to its room', async () => {
  let ackLate;
  const server = await serve({
    handle(frame, connection) {
      if (!answerJoins(frame, connection, 0) && frame.type === 'send') {
        ackLate = () => connection.send({ type: 'ack', id: frame.id, seq: 1, duplicate: false });
      }
    },
  });
  const { room, seen } = await joinedClient(server, { sendTimeout: 100 });

  await assert.rejects(room.send('stored late', { id: 'late-1' }), (e) => e.code === 'timeout');
  ackLate();
  await until(() => seen.length === 1, 'the message the late ack says was stored');
  assert.deepEqual([seen[0].seq, seen[0].id, seen[0].data], [1, 'late-1', 'stored late']);
});

test('sends made while disconnected wait, in order, and go out after the reconnect', async () => {
  let seq = 0;
  const server = await serve({
    handle(frame, connection) {
      if (frame.type === 'send' && connection.number > 1) {
        connection.send({ type: 'ack', id: frame.id, seq: ++seq, duplicate: false });
      }
    },
  });
  const client = clientOf(server);
  await client.connect();
  const lost = next(client, 'state', (state) => state === 'reconnecting');
  server.connections[0].drop();
  await lost;

  const acks = await Promise.all(range(1, 20).map((n) => client.sendTo('bob', n)));
  assert.deepEqual(acks.map((a) => a.seq), range(1, 20));
  assert.deepEqual(server.framesOf('send').filter((f) => f.connection > 1).map((f) => f.data), range(1, 20));
});

test('typing right after a send goes out at once: the others hid the indicator when the message came', async () => {
  const server = await serve({
    handle(frame, connection) {
      if (answerJoins(frame, connection, 0)) {
        return;
      }
      if (frame.type === 'send') {
        connection.send({ type: 'ack', id: frame.id, seq: 1, duplicate: false });
      }
    },
  });
  const { room } = await joinedClient(server, { typingInterval: 60_000 });

  room.typing();
  room.typing();
  await room.send({ text: 'hi' });
  room.typing();
  room.typing();

  await until(() => server.framesOf('typing').length === 2, 'the second notice');
  assert.deepEqual(server.frames.map((f) => f.type).filter((t) => t !== 'join'), ['typing', 'send', 'typing']);
});
