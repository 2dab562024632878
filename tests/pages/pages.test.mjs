// The agent console (/console/) and the customer chat (/chat/) in a real browser: Debian's Chromium driven by
// playwright-core, against the built front started on free loopback ports (Development, embedded silo). Every step
// leaves a screenshot in the results folder; every page is checked for console errors, uncaught errors and a second
// WebSocket.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, afterEach, before, test } from 'node:test';
import { startFront } from '../../clients/js/test/support/front.mjs';
import { startProxy } from '../../clients/js/test/support/proxy.mjs';
import { until } from '../../clients/js/test/support/wait.mjs';
import { launchBrowser, openPage, screenshot } from './support/browser.mjs';

const TEST_TIMEOUT = 180_000;

/** A phone's screen (the customer's page is made for it). */
const PHONE = { viewport: { width: 390, height: 740 }, mobile: true };

let front;
let browser;
/** The pages opened by the running test, closed after it. */
let opened = [];

before(async () => {
  front = await startFront();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await front?.stop();
});

afterEach(async () => {
  await Promise.all(opened.map(({ context }) => context.close()));
  opened = [];
});

/** Opens a page of the front (or of another base URL, e.g. through a proxy) and keeps it for the end-of-test checks. */
async function open(path, options = {}) {
  const opening = await openPage(browser, `${options.base ?? front.base}${path}`, options);
  opened.push(opening);
  return opening;
}

/** What Chromium itself writes to the console when a connection attempt is refused or dropped by the network. */
const refusedByTheNetwork = [/^console\.error: WebSocket connection to '[^']*' failed: /, /^console\.error: Failed to load resource: net::ERR_CONNECTION_REFUSED$/];

/**
 * No console error (but those `allowed`), no uncaught error, and `sockets` WebSockets opened in all (null: any number, the test cut the
 * link), never two open at once (`oneAtATime`; a reload closes the old page's socket only as it goes, so a test with
 * reloads counts sockets instead).
 */
function assertClean({ record }, { sockets = 1, oneAtATime = true, allowed = [] } = {}) {
  const errors = record.errors.filter((error) => !allowed.some((pattern) => pattern.test(error)));
  assert.deepEqual(errors, [], `${record.url}: errors in the browser console`);
  if (oneAtATime) {
    assert.ok(record.mostOpen <= 1, `${record.url}: ${record.mostOpen} sockets were open at once`);
  }
  if (sockets !== null) {
    assert.equal(record.sockets, sockets, `${record.url}: sockets opened`);
  }
}

const textbox = (page) => page.getByRole('textbox', { name: '消息 / Message', exact: true });
const sendButton = (page) => page.getByRole('button', { name: '发送 / Send', exact: true });
const conversationLog = (page) => page.getByRole('log', { name: '对话 / Conversation', exact: true });
const connectionState = (page) => page.getByRole('status');

/** Waits for the page's connection state to say connected (`within` ms: longer where the page's back-off has grown). */
async function connected(page, within = 30_000) {
  await page.locator('[role=status][data-state="connected"]').waitFor({ timeout: within });
}

/** Connected, and the open conversation joined with its latest messages shown. */
async function ready(page) {
  await connected(page);
  await page.locator('[role=log][aria-busy="false"]').waitFor();
}

/** The texts of the bubbles in the conversation, top to bottom. */
function bubbleTexts(page) {
  return conversationLog(page).locator('.bubble .text').allTextContents();
}

/** Waits until the conversation shows a bubble whose text is exactly `text`; returns the bubble. */
async function bubble(page, text) {
  const found = conversationLog(page).locator('.bubble').filter({ has: page.getByText(text, { exact: true }) });
  await found.first().waitFor();
  return found.first();
}

/** The agent joins a conversation by its id and opens it. */
async function joinConversation(page, room) {
  await page.getByRole('textbox', { name: '会话 ID / Conversation id' }).fill(room);
  await page.getByRole('button', { name: '加入 / Join', exact: true }).click();
  await page.locator(`[data-room="${room}"] button[aria-current="true"]`).waitFor();
  await page.locator('[role=log][aria-busy="false"]').waitFor();
}

/** A customer on a phone (`/chat/`) and an agent (`/console/`) who has joined the customer's conversation. */
async function customerAndAgent(user, agentId, base = front.base) {
  const customer = await open(`/chat/?user=${user}`, { base, ...PHONE });
  const agent = await open(`/console/?user=${agentId}&role=agent`, { base });
  await Promise.all([ready(customer.page), connected(agent.page)]);
  await joinConversation(agent.page, `support-${user}`);
  return { customer, agent };
}

async function typeAndSend(page, text) {
  await textbox(page).fill(text);
  await textbox(page).press('Enter');
}

test('the start page links to both pages; favicon; every page has a Content-Security-Policy without inline script', { timeout: TEST_TIMEOUT }, async () => {
  const home = await open('/');
  await home.page.getByRole('link', { name: /客服工作台 \/ Agent console/ }).waitFor();
  await home.page.getByRole('link', { name: /在线客服 \/ Customer chat/ }).waitFor();
  await screenshot(home.page, 'start-01-home');

  for (const path of ['/', '/console/', '/chat/']) {
    const response = await fetch(`${front.base}${path}`);
    assert.equal(response.status, 200, path);
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'self'(;|$)/, `${path}: scripts from this origin only`);
    assert.match(policy, /style-src 'self'(;|$)/, `${path}: styles from this origin only`);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/, path);
    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `${path}: no inline <script>`);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${path}: no inline event handlers`);
    assert.doesNotMatch(html, /\sstyle\s*=/i, `${path}: no inline styles`);
  }
  const icon = await fetch(`${front.base}/favicon.ico`);
  assert.equal(icon.status, 200);
  assert.equal(icon.headers.get('content-type'), 'image/x-icon');

  await home.page.getByRole('link', { name: /在线客服 \/ Customer chat/ }).click();
  await home.page.getByRole('textbox', { name: '用户 ID / User id' }).waitFor();
  await screenshot(home.page, 'start-02-chat-sign-in');
  assertClean(home, { sockets: 0 });
});

test('an agent and a customer chat both ways: bubbles, Enter and Shift+Enter, typing, sent and read ticks', { timeout: TEST_TIMEOUT }, async () => {
  const { customer, agent } = await customerAndAgent('u1', 'a1');

  // The customer types: the agent sees it; Enter sends and clears the box.
  await textbox(customer.page).pressSequentially('我的订单还没到');
  await agent.page.getByText('u1 正在输入… / u1 is typing…').waitFor();
  await screenshot(agent.page, 'chat-01-agent-sees-typing');
  await textbox(customer.page).press('Enter');
  assert.equal(await textbox(customer.page).inputValue(), '', 'the box is cleared after sending');
  const received = await bubble(agent.page, '我的订单还没到');
  assert.equal(await received.locator('.sender').textContent(), 'u1');
  assert.match(await received.locator('time').textContent(), /^\d{2}:\d{2}$/);
  assert.ok(await received.evaluate((element) => element.classList.contains('theirs')), "the customer's message is on the other side");
  assert.equal(await agent.page.getByText('u1 正在输入… / u1 is typing…').count(), 0, 'the indicator goes when the message comes');

  // The agent has the conversation open: the customer's message turns read on the customer's side.
  const sent = await bubble(customer.page, '我的订单还没到');
  assert.ok(await sent.evaluate((element) => element.classList.contains('mine')));
  await sent.locator('.tick[data-state="read"]').waitFor();
  assert.equal(await sent.locator('.tick').textContent(), '已读 / Read');
  await screenshot(customer.page, 'chat-02-customer-message-read');

  // Shift+Enter breaks the line, Enter sends; the customer sees the agent type first, then both lines.
  await textbox(agent.page).click();
  await agent.page.keyboard.type('您好，我来查一下');
  await customer.page.getByText('a1 正在输入… / a1 is typing…').waitFor();
  await agent.page.keyboard.press('Shift+Enter');
  await agent.page.keyboard.type('请稍等 / one moment');
  assert.equal(await textbox(agent.page).inputValue(), '您好，我来查一下\n请稍等 / one moment');
  await agent.page.keyboard.press('Enter');
  assert.equal(await textbox(agent.page).inputValue(), '');
  const reply = await bubble(customer.page, '您好，我来查一下\n请稍等 / one moment');
  assert.equal(await reply.locator('.sender').textContent(), 'a1');
  const agentsReply = await bubble(agent.page, '您好，我来查一下\n请稍等 / one moment');
  await agentsReply.locator('.tick[data-state="read"]').waitFor();
  await screenshot(customer.page, 'chat-03-customer-sees-reply');
  await screenshot(agent.page, 'chat-04-agent-reply-read');

  // The send button works as well as Enter.
  await textbox(customer.page).fill('谢谢 / thanks');
  await sendButton(customer.page).click();
  await bubble(agent.page, '谢谢 / thanks');
  assert.deepEqual(await bubbleTexts(agent.page), ['我的订单还没到', '您好，我来查一下\n请稍等 / one moment', '谢谢 / thanks']);
  assert.deepEqual(await bubbleTexts(customer.page), await bubbleTexts(agent.page));
  assertClean(customer);
  assertClean(agent);
});

test("a new message raises another conversation's unread count, and opening it clears the count", { timeout: TEST_TIMEOUT }, async () => {
  const first = await open('/chat/?user=u2', PHONE);
  const second = await open('/chat/?user=u3', PHONE);
  await Promise.all([ready(first.page), ready(second.page)]);
  const agent = await open('/console/?user=a2&role=agent');
  await connected(agent.page);
  await joinConversation(agent.page, 'support-u3');
  await joinConversation(agent.page, 'support-u2');

  await typeAndSend(second.page, '有人吗？');
  await typeAndSend(second.page, '在线等 / waiting');
  const badge = agent.page.locator('[data-room="support-u3"] .unread-count');
  await badge.filter({ hasText: /^2$/ }).waitFor();
  await agent.page.waitForFunction(() => document.title.startsWith('(2) '));
  assert.match(await agent.page.locator('[data-room="support-u3"] .conversation-preview').textContent(), /u3: 在线等 \/ waiting/);
  // The open conversation gets no badge: its messages are read as they come.
  await typeAndSend(first.page, '你好');
  await bubble(agent.page, '你好');
  await agent.page.locator('[data-room="support-u2"][data-unread="0"]').waitFor();
  assert.equal(await agent.page.locator('[data-room="support-u2"] .unread-count').count(), 0);
  await screenshot(agent.page, 'unread-01-two-unread-in-another-conversation');

  await agent.page.locator('[data-room="support-u3"] button').click();
  await agent.page.locator('[data-room="support-u3"][data-unread="0"]').waitFor();
  assert.equal(await badge.count(), 0);
  assert.equal(await agent.page.title(), '客服工作台 / Agent console');
  await (await bubble(second.page, '在线等 / waiting')).locator('.tick[data-state="read"]').waitFor();
  await screenshot(agent.page, 'unread-02-opened-and-cleared');
  await screenshot(second.page, 'unread-03-customer-sees-read');
  for (const page of [first, second, agent]) {
    assertClean(page);
  }
});

test('after the connection is cut both pages reconnect and show the messages posted meanwhile once, in order, without a reload', { timeout: TEST_TIMEOUT }, async () => {
  const proxy = await startProxy(front.port);
  try {
    const { customer, agent } = await customerAndAgent('u4', 'a4', `http://127.0.0.1:${proxy.port}`);
    await typeAndSend(customer.page, 'before the cut');
    await bubble(agent.page, 'before the cut');
    for (const { page } of [customer, agent]) {
      await page.evaluate(() => {
        document.documentElement.dataset.sameVisit = 'yes';
      });
    }

    proxy.refuse();
    await Promise.all([customer, agent].map(({ page }) => page.locator('[role=status][data-state="reconnecting"]').waitFor()));
    assert.match(await connectionState(customer.page).textContent(), /Reconnecting, attempt \d+/);
    await screenshot(customer.page, 'recovery-01-customer-reconnecting');
    await screenshot(agent.page, 'recovery-02-agent-reconnecting');

    // A message typed while offline waits, shown as sending; others reach the room through the HTTP API meanwhile.
    await typeAndSend(customer.page, 'typed while offline');
    await (await bubble(customer.page, 'typed while offline')).locator('.tick[data-state="pending"]').waitFor();
    const missed = [1, 2, 3, 4, 5].map((n) => `posted during the cut ${n}`);
    for (const text of missed) {
      await front.postToRoom('support-u4', { text }, { from: 'orders-bot' });
    }
    await screenshot(customer.page, 'recovery-03-customer-message-waits');

    proxy.restore();
    await Promise.all([connected(customer.page), connected(agent.page)]);
    const expected = ['before the cut', ...missed, 'typed while offline'];
    for (const { page } of [customer, agent]) {
      await bubble(page, 'typed while offline');
      await until(async () => (await bubbleTexts(page)).length >= expected.length, 'every message shown');
      assert.deepEqual(await bubbleTexts(page), expected, 'each message once, in order');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.sameVisit), 'yes', 'the page was not reloaded');
    }
    await (await bubble(customer.page, 'typed while offline')).locator('.tick[data-state="read"]').waitFor();
    await screenshot(customer.page, 'recovery-04-customer-recovered');
    await screenshot(agent.page, 'recovery-05-agent-recovered');

    // A reconnect attempt that falls inside the cut (the back-off is jittered) is refused by the proxy, and Chromium
    // reports that as a console error of its own, not the page's; nothing else may appear.
    assertClean(customer, { sockets: null, allowed: refusedByTheNetwork });
    assertClean(agent, { sockets: null, allowed: refusedByTheNetwork });
    assert.ok(customer.record.sockets >= 2 && agent.record.sockets >= 2, 'both pages opened a new socket');
  } finally {
    await proxy.close();
  }
});

test('after a Development front restarts (another secret, rooms forgotten) both pages reconnect by themselves and chat again', { timeout: TEST_TIMEOUT }, async () => {
  // No JWT_SECRET: a Development front makes a random one per process, so the pages' tokens die with it.
  let restarting = await startFront({ JWT_SECRET: '' });
  try {
    const { customer, agent } = await customerAndAgent('u9', 'a9', restarting.base);
    await typeAndSend(customer.page, 'before the restart');
    await bubble(agent.page, 'before the restart');

    await restarting.stop();
    await Promise.all([customer, agent].map(({ page }) => page.locator('[role=status][data-state="reconnecting"]').waitFor()));
    restarting = await startFront({ JWT_SECRET: '', HTTP_PORT: String(restarting.port) });
    // The pages' back-off grew while the front was down: the next attempt may be up to 20 s away.
    await Promise.all([connected(customer.page, 60_000), connected(agent.page, 60_000)]);

    const gone = '服务器已不再保存此前的消息 / The server no longer has the earlier messages';
    await typeAndSend(customer.page, 'after the restart');
    for (const { page } of [customer, agent]) {
      await bubble(page, 'after the restart');
      await conversationLog(page).getByText(gone).waitFor();
      assert.deepEqual(await bubbleTexts(page), ['after the restart']);
    }
    await typeAndSend(agent.page, 'still here');
    await bubble(customer.page, 'still here');
    await screenshot(customer.page, 'restart-01-customer-after-restart');
    await screenshot(agent.page, 'restart-02-agent-after-restart');

    // While the front was down Chromium reported each refused connection attempt (the socket's, and the new token's
    // request) as a console error of its own; nothing else may appear.
    assertClean(customer, { sockets: null, allowed: refusedByTheNetwork });
    assertClean(agent, { sockets: null, allowed: refusedByTheNetwork });
  } finally {
    await restarting.stop();
  }
});

test('a reload keeps the session: the user, the token and the open conversation', { timeout: TEST_TIMEOUT }, async () => {
  const customer = await open('/chat/', PHONE);
  await customer.page.getByRole('textbox', { name: '用户 ID / User id' }).fill('u5');
  await screenshot(customer.page, 'reload-01-customer-sign-in');
  await customer.page.getByRole('button', { name: '进入 / Enter' }).click();
  await ready(customer.page);
  await typeAndSend(customer.page, 'before the reload');
  await bubble(customer.page, 'before the reload');

  const agent = await open('/console/');
  await agent.page.getByRole('textbox', { name: '用户 ID / User id' }).fill('a5');
  assert.equal(await agent.page.getByRole('combobox', { name: '角色 / Role' }).inputValue(), 'agent');
  await agent.page.getByRole('button', { name: '进入 / Enter' }).click();
  await connected(agent.page);
  await joinConversation(agent.page, 'support-u5');
  await bubble(agent.page, 'before the reload');

  await customer.page.reload();
  await agent.page.reload();
  await Promise.all([ready(customer.page), ready(agent.page)]);
  assert.equal(await customer.page.getByRole('textbox', { name: '用户 ID / User id' }).count(), 0, 'no sign-in after a reload');
  await bubble(customer.page, 'before the reload');
  await agent.page.locator('[data-room="support-u5"] button[aria-current="true"]').waitFor();
  assert.equal(await agent.page.locator('#chat-title').textContent(), 'u5');
  await bubble(agent.page, 'before the reload');
  assert.equal(customer.record.tokenRequests, 1, 'the kept token was used again');
  assert.equal(agent.record.tokenRequests, 1, 'the kept token was used again');

  await typeAndSend(agent.page, 'after the reload');
  await bubble(customer.page, 'after the reload');
  await screenshot(customer.page, 'reload-02-customer-after-reload');
  await screenshot(agent.page, 'reload-03-agent-after-reload');
  // One socket per page load.
  assertClean(customer, { sockets: 2, oneAtATime: false });
  assertClean(agent, { sockets: 2, oneAtATime: false });
});

test("with CONSOLE_TOKEN_URL the pages take their tokens from it, with the browser's cookies", { timeout: TEST_TIMEOUT }, async () => {
  // The main system's token endpoint: another origin, which knows the user by a session cookie.
  const cookies = [];
  let withToken;
  const tokens = createServer((request, response) => {
    cookies.push(request.headers.cookie ?? '');
    const user = /(?:^|; )wedrawos_session=(\w+)/.exec(request.headers.cookie ?? '')?.[1];
    response.setHeader('Access-Control-Allow-Origin', withToken.base);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    response.setHeader('Content-Type', 'application/json');
    response.writeHead(user ? 200 : 401);
    response.end(JSON.stringify(user ? { token: withToken.token(user) } : { error: 'sign in' }));
  });
  await new Promise((resolve) => tokens.listen(0, '127.0.0.1', resolve));
  const tokenUrl = `http://127.0.0.1:${tokens.address().port}/realtime/token`;
  withToken = await startFront({ CONSOLE_TOKEN_URL: tokenUrl });
  try {
    const policy = (await fetch(`${withToken.base}/chat/`)).headers.get('content-security-policy');
    assert.match(policy, new RegExp(`connect-src 'self' http://127\\.0\\.0\\.1:${tokens.address().port};`));

    const customer = await open('/chat/', { base: withToken.base, ...PHONE });
    // Not signed in to the main system yet: the token URL refuses, and the page says so.
    await connectionState(customer.page).getByText('Sign in to WeDrawOS first').waitFor();
    await screenshot(customer.page, 'token-url-01-customer-not-signed-in');
    // Signed in elsewhere, the page gets its token on its next attempt, without a reload.
    await customer.context.addCookies([{ name: 'wedrawos_session', value: 'u20', url: tokenUrl }]);
    await ready(customer.page);
    assert.equal(await customer.page.getByRole('textbox', { name: '用户 ID / User id' }).count(), 0, 'no Development sign-in');
    assert.ok(await customer.page.getByRole('button', { name: '切换用户 / Switch user' }).isHidden());
    await typeAndSend(customer.page, 'signed in elsewhere');
    // Acked, so stored: the bubble shows as soon as the message is sent, its tick once the server has it.
    await (await bubble(customer.page, 'signed in elsewhere')).locator('.tick[data-state="sent"]').waitFor();
    const stored = (await withToken.history('support-u20')).map((m) => [m.from, m.data.text]);
    assert.deepEqual(stored, [['u20', 'signed in elsewhere']]);
    assert.ok(cookies.includes('wedrawos_session=u20'), 'the token request carried the cookie');
    assert.equal(customer.record.tokenRequests, 0, 'no Development token');
    await screenshot(customer.page, 'token-url-02-customer-signed-in-elsewhere');
    // The attempts before the cookie was set were refused by the token URL (401): the browser says so.
    assertClean(customer, { sockets: 1, allowed: [/^console\.error: Failed to load resource: the server responded with a status of 401/] });
  } finally {
    await withToken.stop();
    await new Promise((resolve) => tokens.close(resolve));
  }
});

test('an XSS payload shows as text and runs nothing', { timeout: TEST_TIMEOUT }, async () => {
  const { customer, agent } = await customerAndAgent('u6', 'a6');

  const payloads = [
    '<img src=x onerror="window.__xss=1">',
    '<script>window.__xss=2</script>',
    '<a href="javascript:window.__xss=3">click</a>',
  ];
  for (const payload of payloads) {
    await typeAndSend(customer.page, payload);
  }
  await bubble(agent.page, payloads.at(-1));
  await front.postToRoom('support-u6', { text: '<svg onload="window.__xss=4">' }, { from: '<b>bot</b>' });
  for (const { page } of [customer, agent]) {
    await bubble(page, '<svg onload="window.__xss=4">');
    assert.deepEqual(await bubbleTexts(page), [...payloads, '<svg onload="window.__xss=4">']);
    assert.equal(await conversationLog(page).locator('img, script, a, svg, b').count(), 0, 'no markup from messages');
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'nothing ran');
  }
  assert.equal(await (await bubble(agent.page, '<svg onload="window.__xss=4">')).locator('.sender').textContent(), '<b>bot</b>');
  assert.match(await agent.page.locator('[data-room="support-u6"] .conversation-preview').textContent(), /<svg onload=/);
  await screenshot(agent.page, 'xss-01-agent-shows-text');
  await screenshot(customer.page, 'xss-02-customer-shows-text');
  assertClean(customer);
  assertClean(agent);
});

test('a customer taken off their conversation is told so, and the message box is closed', { timeout: TEST_TIMEOUT }, async () => {
  const customer = await open('/chat/?user=u9', PHONE);
  await ready(customer.page);
  await typeAndSend(customer.page, '在吗 / anyone there?');
  await (await bubble(customer.page, '在吗 / anyone there?')).locator('.tick[data-state="sent"]').waitFor();

  await front.removeMember('support-u9', 'u9');
  await customer.page.getByRole('alert').filter({ hasText: '你已不在此对话中 / You are no longer in this conversation' }).waitFor();
  assert.ok(await textbox(customer.page).isDisabled(), 'the message box is closed');
  assert.ok(await sendButton(customer.page).isDisabled(), 'the send button is closed');
  await screenshot(customer.page, 'removed-01-customer-told');
  assertClean(customer);
});

test('the customer page works on a 360 px wide phone', { timeout: TEST_TIMEOUT }, async () => {
  const customer = await open('/chat/?user=u7', { viewport: { width: 360, height: 640 }, mobile: true });
  await ready(customer.page);
  assert.match(await customer.page.locator('meta[name=viewport]').getAttribute('content'), /width=device-width/);
  await typeAndSend(customer.page, `a long word without spaces: ${'订单号'.repeat(10)}${'0123456789'.repeat(8)}`);
  await typeAndSend(customer.page, '短消息 / short');
  await bubble(customer.page, '短消息 / short');

  const width = await customer.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scrolling (page is ${width} px wide)`);
  for (const control of [textbox(customer.page), sendButton(customer.page), conversationLog(customer.page), connectionState(customer.page)]) {
    assert.ok(await control.isVisible());
    const box = await control.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360 && box.y + box.height <= 640, `${JSON.stringify(box)} is on the screen`);
  }
  await screenshot(customer.page, 'phone-01-customer-360px');
  assertClean(customer);
});

test('older messages load on scrolling up, each once and in order', { timeout: TEST_TIMEOUT }, async () => {
  const texts = Array.from({ length: 75 }, (_, i) => `history ${i + 1}`);
  for (const text of texts) {
    await front.postToRoom('support-u8', { text }, { from: 'orders-bot' });
  }
  const customer = await open('/chat/?user=u8', PHONE);
  await ready(customer.page);
  await bubble(customer.page, 'history 75');
  const first = await bubbleTexts(customer.page);
  assert.ok(first.length < texts.length, `only the latest page at first (${first.length})`);
  assert.deepEqual(first, texts.slice(-first.length));
  await screenshot(customer.page, 'older-01-latest-page');

  const log = conversationLog(customer.page);
  await until(async () => {
    await log.evaluate((element) => element.scrollTo(0, 0));
    return (await bubbleTexts(customer.page))[0] === 'history 1';
  }, 'the first message after scrolling up');
  assert.deepEqual(await bubbleTexts(customer.page), texts);
  await customer.page.getByRole('button', { name: '没有更早的消息 / No earlier messages' }).waitFor();
  await screenshot(customer.page, 'older-02-scrolled-to-the-beginning');
  assertClean(customer);
});
