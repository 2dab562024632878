// Reconnect soak: two clients behind a TCP proxy that is cut several times while they and a service send.
// Every other cut is a half-dead link first (the server's frames, acks included, stop reaching the clients).
// Prints what was sent, acked and received, and how many messages came twice or never.
//   npm run soak                     (after `npm run build` and a Release build of the solution)
//   SOAK_CUTS=10 SOAK_RATE=50 SOAK_CUT_MS=2000 npm run soak
import WebSocket from 'ws';
import { WeDrawOSClient } from '../dist/index.js';
import { startFront } from '../test/support/front.mjs';
import { startProxy } from '../test/support/proxy.mjs';
import { until } from '../test/support/wait.mjs';

const cuts = Number(process.env.SOAK_CUTS ?? 5);
const rate = Number(process.env.SOAK_RATE ?? 20);
const cutMs = Number(process.env.SOAK_CUT_MS ?? 1000);
const betweenMs = Number(process.env.SOAK_BETWEEN_MS ?? 3000);
const room = 'soak';

const front = await startFront();
const proxy = await startProxy(front.port);
const clients = [];
try {
  const connect = async (userId) => {
    const client = new WeDrawOSClient({
      url: `ws://127.0.0.1:${proxy.port}/ws`,
      WebSocket,
      getToken: () => front.token(userId),
      reconnect: { initialDelay: 100, maxDelay: 1000 },
      sendTimeout: 120_000,
    });
    clients.push(client);
    await client.connect();
    return client;
  };
  const alice = await connect('alice');
  const bob = await connect('bob');
  const tally = (target, event) => {
    const seen = [];
    target.on(event, (m) => seen.push(m.seq));
    return seen;
  };
  await alice.room(room).join();
  await bob.room(room).join();
  const atAlice = tally(alice.room(room), 'message');
  const atBob = tally(bob.room(room), 'message');
  const directsAtBob = tally(bob, 'direct');

  // Three senders at `rate` each: alice and bob through the proxy (room messages, and direct messages to bob),
  // and a service through the HTTP API, which never loses its link.
  const results = { roomSends: 0, roomAcked: 0, directSends: 0, directAcked: 0, apiPosts: 0, failed: [] };
  const sends = [];
  let sending = true;
  const loop = async (send) => {
    while (sending) {
      sends.push(send().catch((error) => results.failed.push(error.code ?? String(error))));
      await new Promise((r) => setTimeout(r, 1000 / rate));
    }
  };
  let n = 0;
  const senders = [
    loop(async () => {
      results.roomSends++;
      await alice.room(room).send({ n: ++n });
      results.roomAcked++;
    }),
    loop(async () => {
      results.directSends++;
      await alice.sendTo('bob', { n: ++n });
      results.directAcked++;
    }),
    loop(async () => {
      results.apiPosts++;
      await front.postToRoom(room, { n: ++n });
    }),
  ];

  const started = Date.now();
  // Cuts alternate between a clean one (connections dropped, new ones refused) and a half-dead link (the server's
  // frames stop reaching the clients, acks included, then the link drops), which makes the clients re-send.
  for (let cut = 0; cut < cuts; cut++) {
    await new Promise((r) => setTimeout(r, betweenMs));
    if (cut % 2 === 0) {
      proxy.refuse();
    } else {
      proxy.mute();
    }
    await new Promise((r) => setTimeout(r, cutMs));
    proxy.restore();
    proxy.cut();
  }
  await new Promise((r) => setTimeout(r, betweenMs));
  sending = false;
  await Promise.all(senders);
  await Promise.all(sends);

  const lastSeq = (await front.history(room, 1)).at(-1)?.seq ?? 0;
  const inboxSeq = (await front.sendToUser('bob', 'last', { from: 'soak' })).seq;
  await until(() => new Set(atBob).size >= lastSeq && new Set(atAlice).size >= lastSeq && new Set(directsAtBob).size >= inboxSeq,
    'every stored message to arrive', 60_000).catch(() => undefined);

  const count = (seen, expected) => {
    const unique = new Set(seen);
    let outOfOrder = 0;
    for (let i = 1; i < seen.length; i++) {
      outOfOrder += seen[i] <= seen[i - 1] ? 1 : 0;
    }
    return { received: seen.length, duplicates: seen.length - unique.size, lost: expected - [...unique].filter((s) => s <= expected).length, outOfOrder };
  };
  const rows = [
    ['room seqs at bob', lastSeq, count(atBob, lastSeq)],
    ['room seqs at alice (own on ack)', lastSeq, count(atAlice, lastSeq)],
    ['direct messages at bob', inboxSeq, count(directsAtBob, inboxSeq)],
  ];
  console.log(`\n${cuts} cuts (clean and half-dead in turn) of ${cutMs} ms every ${betweenMs} ms, ${rate} msg/s per sender, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`room sends by alice: ${results.roomSends} sent, ${results.roomAcked} acked; direct sends: ${results.directSends} sent, ${results.directAcked} acked; HTTP posts: ${results.apiPosts}; failed: ${results.failed.length} ${JSON.stringify(results.failed.slice(0, 5))}`);
  console.log('\n| stream | stored (server) | received | duplicates | lost | out of order |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, stored, c] of rows) {
    console.log(`| ${name} | ${stored} | ${c.received} | ${c.duplicates} | ${c.lost} | ${c.outOfOrder} |`);
  }
  for (const [name, client] of [['alice', alice], ['bob', bob]]) {
    const s = client.stats;
    console.log(`${name}: ${s.reconnects} reconnects, ${s.resent} frames re-sent, ${s.duplicates} duplicates dropped by the client, ${s.gaps} gaps`);
  }
  console.log(`proxy connections: ${proxy.connections}`);
  const bad = rows.some(([, , c]) => c.duplicates > 0 || c.lost > 0 || c.outOfOrder > 0) || results.failed.length > 0
    || results.roomAcked !== results.roomSends || results.directAcked !== results.directSends;
  process.exitCode = bad ? 1 : 0;
} finally {
  clients.forEach((c) => c.disconnect());
  await proxy.close();
  await front.stop();
}
