// The library against a real WeDrawOS front (the Release build, started here), with a TCP proxy to cut.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import WebSocket from 'ws';
import { WeDrawOSClient } from '../dist/index.js';
import { startFront } from './support/front.mjs';
import { startProxy } from './support/proxy.mjs';
import { collect, next, until } from './support/wait.mjs';

let front;
const clients = [];
const proxies = [];

// Answers carry at most 1 KiB of data (the least the front accepts), so that recoveries page with `more`.
const answerMaxBytes = 1024;

before(async () => {
  front = await startFront({ WS_ANSWER_MAX_BYTES: String(answerMaxBytes) });
});

after(async () => {
  await front?.stop();
});

afterEach(async () => {
  clients.splice(0).forEach((c) => c.disconnect());
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

function connectAs(userId, { port, role, getToken, ...options } = {}) {
  const client = new WeDrawOSClient({
    url: port ? `ws://127.0.0.1:${port}/ws` : front.wsUrl,
    WebSocket,
    getToken: getToken ?? (() => front.token(userId, { role })),
    reconnect: { initialDelay: 50, maxDelay: 400 },
    ...options,
  });
  clients.push(client);
  return client;
}

async function proxy() {
  const p = await startProxy(front.port);
  proxies.push(p);
  return p;
}

/** Alice (through `port` when given) and bob, connected, both in `roomId`, with what each room delivers. */
async function aliceAndBobIn(roomId, { port } = {}) {
  const alice = connectAs('alice', port ? { port } : {});
  const bob = connectAs('bob');
  await Promise.all([alice.connect(), bob.connect()]);
  const aliceRoom = alice.room(roomId);
  const bobRoom = bob.room(roomId);
  const joined = await aliceRoom.join();
  await bobRoom.join();
  return { alice, bob, aliceRoom, bobRoom, joined, aliceSaw: collect(aliceRoom, 'message'), bobSaw: collect(bobRoom, 'message') };
}

const seqs = (messages) => messages.map((m) => m.seq);
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('two users chat: each sees every seq once and in order, own messages on their ack', async () => {
  const { alice, aliceRoom, bobRoom, aliceSaw, bobSaw } = await aliceAndBobIn('chat-1');
  const joined = await bobRoom.join();
  assert.equal(joined.seq, 0);
  assert.deepEqual(joined.members.map((m) => m.userId).sort(), ['alice', 'bob']);

  const acks = await Promise.all([
    ...range(1, 5).map((n) => aliceRoom.send({ text: `a${n}` })),
    ...range(1, 5).map((n) => bobRoom.send({ text: `b${n}` })),
  ]);

  assert.deepEqual(acks.map((a) => a.seq).sort((x, y) => x - y), range(1, 10));
  await until(() => aliceSaw.length === 10 && bobSaw.length === 10, 'both sides to see ten messages');
  assert.deepEqual(seqs(aliceSaw), range(1, 10));
  assert.deepEqual(seqs(bobSaw), range(1, 10));
  const own = aliceSaw.filter((m) => m.from === 'alice');
  assert.deepEqual(own.map((m) => m.data.text), ['a1', 'a2', 'a3', 'a4', 'a5']);
  assert.equal(alice.stats.duplicates, 0);
});

test('messages posted during a cut arrive once and in order after it; a send made during the cut is acked once', async () => {
  const cut = await proxy();
  const { alice, aliceRoom: room, aliceSaw: roomSeen, bobSaw: bobSeen } = await aliceAndBobIn('cut-1', { port: cut.port });
  const directs = collect(alice, 'direct');
  for (const n of range(1, 3)) {
    await front.postToRoom('cut-1', { n });
  }
  await until(() => roomSeen.length === 3, 'the first three messages');

  const lost = next(alice, 'state', (state) => state === 'reconnecting');
  cut.refuse();
  await lost;
  for (const n of range(4, 23)) {
    await front.postToRoom('cut-1', { n });
  }
  for (const n of range(1, 5)) {
    await front.sendToUser('alice', { dm: n });
  }
  const sent = room.send({ text: 'written while cut off' });
  cut.restore();

  const ack = await sent;
  assert.equal(ack.seq, 24);
  await until(() => roomSeen.length === 24 && directs.length === 5, 'the missed messages after the reconnect');
  assert.deepEqual(seqs(roomSeen), range(1, 24));
  assert.deepEqual(seqs(directs), range(1, 5));
  assert.deepEqual(directs.map((m) => m.data.dm), range(1, 5));
  await until(() => bobSeen.length === 24, 'bob to see all 24');
  assert.equal(bobSeen.filter((m) => m.id === ack.id).length, 1);
  assert.equal((await front.history('cut-1')).filter((m) => m.id === ack.id).length, 1);
  assert.ok(alice.stats.reconnects >= 1);
});

test('a recovery larger than one answer pages on with more until everything came, room and inbox', async () => {
  const cut = await proxy();
  const alice = connectAs('alice', { port: cut.port });
  await alice.connect();
  const room = alice.room('paged');
  await room.join();
  const seen = collect(room, 'message');
  const directs = collect(alice, 'direct');
  const lost = next(alice, 'state', (state) => state === 'reconnecting');
  cut.refuse();
  await lost;

  // 30 messages of 300 bytes each: about nine answers' worth.
  const padding = 'x'.repeat(300);
  for (const n of range(1, 30)) {
    await front.postToRoom('paged', { n, padding });
    await front.sendToUser('alice', { n, padding });
  }
  cut.restore();

  await until(() => seen.length === 30 && directs.length >= 30, 'the 30 messages of the room and of the inbox');
  assert.deepEqual(seqs(seen), range(1, 30));
  assert.deepEqual(seen.map((m) => m.data.n), range(1, 30));
  const inbox = directs.filter((m) => m.data.padding);
  assert.deepEqual(inbox.map((m) => m.data.n), range(1, 30));
  assert.equal(alice.stats.duplicates, 0);
});

test('a send whose ack was lost is sent again with its id and delivered once', async () => {
  const link = await proxy();
  const { alice, aliceRoom: room, bobRoom, aliceSaw: aliceSeen, bobSaw: bobSeen } = await aliceAndBobIn('lost-ack', { port: link.port });

  link.mute();
  const sent = room.send({ text: 'stored, but the ack is lost' });
  await until(async () => (await front.history('lost-ack')).length === 1, 'the server to store the message');
  link.restore();
  link.cut();

  const ack = await sent;
  assert.equal(ack.duplicate, true);
  assert.equal(ack.seq, 1);
  await until(() => aliceSeen.length === 1 && bobSeen.length === 1, 'the message on both sides');
  await bobRoom.send('marker');
  await until(() => aliceSeen.length === 2, 'the marker');
  assert.deepEqual(seqs(aliceSeen), [1, 2]);
  assert.deepEqual(seqs(bobSeen), [1, 2]);
  assert.ok(alice.stats.resent >= 1);
});

test('a connection that goes silent is noticed by a ping and replaced', async () => {
  const link = await proxy();
  const alice = connectAs('alice', { port: link.port, pingInterval: 200, pongTimeout: 400 });
  await alice.connect();
  const room = alice.room('silent');
  await room.join();
  const seen = collect(room, 'message');

  const noticed = next(alice, 'state', (state) => state === 'reconnecting');
  link.mute();
  await front.postToRoom('silent', 'sent into the void');
  await noticed;
  link.restore();
  await until(() => seen.length === 1, 'the message after the reconnect');
  assert.equal(seen[0].data, 'sent into the void');
});

test('the token is refreshed before it expires; a 4001 close fetches a new token and reconnects', async () => {
  const asked = { refreshing: [], expiring: [] };
  // Both get a token that expires in 6 s. One refreshes it; the other cannot, so the server closes it with 4001.
  const refreshing = connectAs('alice', {
    refreshBefore: 3000,
    getToken: ({ reason }) => {
      asked.refreshing.push(reason);
      return front.token('alice', { expiresIn: reason === 'connect' ? 6 : 3600 });
    },
  });
  const expiring = connectAs('alice', {
    refreshBefore: 3000,
    getToken: ({ reason }) => {
      asked.expiring.push(reason);
      if (reason === 'refresh') {
        throw new Error('this page cannot refresh');
      }
      return front.token('alice', { expiresIn: reason === 'connect' ? 6 : 3600 });
    },
  });
  await Promise.all([refreshing.connect(), expiring.connect()]);
  const connection = refreshing.connectionId;

  const [, detail] = await next(expiring, 'state', (state, d) => state === 'reconnecting' && d.code === 4001, 20_000);
  assert.equal(detail.code, 4001);
  await next(expiring, 'state', (state) => state === 'connected');
  assert.ok(asked.expiring.includes('expired'));

  // The refreshed connection outlived its first token (the other one's 4001 shows that moment has passed).
  assert.ok(asked.refreshing.includes('refresh'));
  assert.equal(refreshing.connectionId, connection);
  assert.equal(refreshing.stats.reconnects, 0);
  const room = refreshing.room('refreshed');
  await room.join();
  assert.equal((await room.send('still here')).seq, 1);
});

test('a token the front finds expired already (within its clock skew) is fetched again with back-off, not in a loop', async () => {
  const delays = [];
  const client = connectAs('alice', {
    reconnect: { initialDelay: 50, maxDelay: 400, jitter: 0 },
    // A token source that keeps giving a token that expired 5 s ago (a cache, a clock behind): the front accepts it
    // (JWT_CLOCK_SKEW_SECONDS is 30) and closes the socket with 4001 at once.
    getToken: () => front.token('alice', { expiresIn: -5 }),
  });
  client.on('state', (state, detail) => detail.code === 4001 && delays.push(detail.delay));
  client.connect().catch(() => undefined);

  await until(() => delays.length >= 4, 'four 4001 closes');
  client.disconnect();
  assert.deepEqual(delays.slice(0, 4), [50, 100, 200, 400]);
});

test('a refused token stops reconnecting and says why', async () => {
  const reasons = [];
  const client = connectAs('mallory', {
    getToken: ({ reason }) => {
      reasons.push(reason);
      return 'not-a-token';
    },
  });
  const stopped = next(client, 'state', (state) => state === 'disconnected');

  await assert.rejects(client.connect(), (error) => error.code === 'unauthorized');
  const [, detail] = await stopped;
  assert.equal(detail.error.code, 'unauthorized');
  assert.deepEqual(reasons, ['connect', 'unauthorized']);
});

test('a burst of requests above the rate limit is paced by the client: all answered, no 1008, no reconnect', async () => {
  const alice = connectAs('alice');
  await alice.connect();
  const room = alice.room('burst-1');
  await room.join();
  const states = collect(alice, 'state');

  // The front takes a burst of 100 frames, then 50 a second, and closes a socket after 100 refusals in a row.
  const answers = await Promise.all(range(1, 250).map(() => room.presence()));
  assert.equal(answers.length, 250);
  assert.ok(answers.every((members) => members.some((m) => m.userId === 'alice')));
  assert.deepEqual(states, []);
  assert.equal(alice.stats.reconnects, 0);
});

test('typing notices reach the other member', async () => {
  const { aliceRoom, bobRoom } = await aliceAndBobIn('typing-1');
  const typing = collect(bobRoom, 'typing');
  const ownTyping = collect(aliceRoom, 'typing');

  for (let i = 0; i < 5; i++) {
    aliceRoom.typing();
  }
  await until(() => typing.length === 1, 'the typing notice');
  assert.deepEqual(typing[0], { room: 'typing-1', userId: 'alice' });
  const marker = next(bobRoom, 'message');
  await aliceRoom.send('marker');
  await marker;
  assert.equal(typing.length, 1);
  assert.equal(ownTyping.length, 0);
});

test('read receipts, unread counts and readers', async () => {
  const { aliceRoom, bobRoom, bobSaw: bobSeen } = await aliceAndBobIn('receipts-1');

  for (const n of range(1, 3)) {
    await aliceRoom.send(n);
  }
  await until(() => bobSeen.length === 3, 'three messages at bob');
  assert.equal(bobRoom.unread, 3);
  assert.equal(aliceRoom.unread, 0);

  const receipt = next(aliceRoom, 'receipt', (r) => r.userId === 'bob');
  assert.deepEqual(await bobRoom.markRead(2), { seq: 2 });
  assert.equal(bobRoom.unread, 1);
  assert.deepEqual(await receipt, { room: 'receipts-1', userId: 'bob', seq: 2 });
  assert.equal(aliceRoom.readers.get('bob'), 2);
  await bobRoom.markRead();
  assert.equal(bobRoom.unread, 0);

  await bobRoom.send('reply');
  await until(() => aliceRoom.unread === 1, 'alice to count the reply as unread');

  // Another device of bob's joins with the server's counts.
  const bobPhone = connectAs('bob');
  await bobPhone.connect();
  const info = await bobPhone.room('receipts-1').join();
  assert.equal(info.unread, 0);
  assert.deepEqual(info.readers, [{ userId: 'bob', seq: 3 }]);
});

test('rooms lists the conversations with unread counts and the last message', async () => {
  const agent = connectAs('agent-7', { role: 'agent' });
  await agent.connect();
  await agent.room('support-x1').join();
  await agent.room('support-x2').join();
  await front.postToRoom('support-x1', { text: 'first' }, { from: 'x1' });
  await front.postToRoom('support-x2', { text: 'hello?' }, { from: 'x2' });
  await front.postToRoom('support-x2', { text: 'anyone?' }, { from: 'x2' });

  let rooms = [];
  await until(async () => (rooms = await agent.rooms()).length === 2, 'both rooms listed');
  assert.deepEqual(rooms.map((r) => [r.room, r.seq, r.unread, r.read]), [['support-x2', 2, 2, 0], ['support-x1', 1, 1, 0]]);
  assert.deepEqual(rooms[0].lastMessage.data, { text: 'anyone?' });
  assert.equal(rooms[0].lastMessage.from, 'x2');
});
