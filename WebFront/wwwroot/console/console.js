// @ts-check
/**
 * The agent console: the agent's conversations (the rooms they are a member of) with unread counts, the last message
 * and whether the customer is online; one of them open as a chat; joining a conversation by its id.
 */
import { Conversation } from '../assets/conversation.js';
import { byId, el, messageText, ownerOf } from '../assets/dom.js';
import { startPage } from '../assets/page.js';

/** @typedef {import('../lib/realtime/index.js').RoomSummary} RoomSummary */
/** @typedef {{ conversation: Conversation, item: HTMLLIElement, button: HTMLButtonElement, summary: RoomSummary | undefined }} Entry */

/**
 * Conversations joined at most from the list (the most recent ones), below the server's rooms per socket
 * (`WS_MAX_ROOMS_PER_CONNECTION`, default 100) so that joining by id still works; others are joined by id.
 */
const MAX_CONVERSATIONS = 90;

const TITLE = document.title;

const { session, client, view } = await startPage({
  defaultRole: 'agent',
  placeholder: '输入消息，Enter 发送，Shift+Enter 换行 / Type a message: Enter sends, Shift+Enter breaks the line',
});
const list = byId('conversations', HTMLUListElement);
const noConversations = byId('no-conversations', HTMLElement);
const chatTitle = byId('chat-title', HTMLElement);
const chatPresence = byId('chat-presence', HTMLElement);
const joinForm = byId('join', HTMLFormElement);
const joinRoom = byId('join-room', HTMLInputElement);
const joinProblem = byId('join-problem', HTMLElement);
const who = byId('who', HTMLElement);

/** @type {Map<string, Entry>} */
const entries = new Map();
/** @type {Entry | null} */
let open = null;

joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const room = joinRoom.value.trim();
  if (room) {
    joinProblem.textContent = '';
    joinRoom.value = '';
    openConversation(room);
  }
});

// The list after every (re)connection: conversations joined meanwhile elsewhere (another tab) appear too.
client.on('state', (state) => {
  if (state === 'connected') {
    who.textContent = `${client.userId ?? ''}`;
    loadConversations();
  }
});
if (session.openRoom !== undefined) {
  openConversation(session.openRoom);
}
client.connect().catch(() => undefined);

function loadConversations() {
  client.rooms().then((summaries) => {
    for (const summary of summaries.slice(0, MAX_CONVERSATIONS)) {
      if (!entries.has(summary.room)) {
        list.append(entryFor(summary.room, summary).item);
      }
    }
    updateList();
  }, () => undefined);
}

/** @param {string} room */
function openConversation(room) {
  const entry = entries.get(room) ?? entryFor(room, undefined);
  if (entry.item.parentElement === null) {
    list.prepend(entry.item);
    updateList();
  }
  open = entry;
  session.openRoom = room;
  for (const other of entries.values()) {
    if (other === entry) {
      other.button.setAttribute('aria-current', 'true');
    } else {
      other.button.removeAttribute('aria-current');
    }
  }
  view.show(entry.conversation);
  showHeader();
}

/**
 * The list entry of a room, joining it (not yet in the list).
 * @param {string} room
 * @param {RoomSummary | undefined} summary
 * @returns {Entry}
 */
function entryFor(room, summary) {
  const conversation = new Conversation(client, room, ownerOf(room, session.config.privateRoomPrefixes));
  const button = el('button', { type: 'button', class: 'conversation' });
  const item = el('li', { 'data-room': room }, button);
  /** @type {Entry} */
  const entry = { conversation, item, button, summary };
  entries.set(room, entry);
  button.addEventListener('click', () => openConversation(room));
  conversation.onChange((change) => {
    if (change.kind === 'reset') {
      entry.summary = undefined;
    }
    if (change.kind === 'message' && list.firstElementChild !== item) {
      list.prepend(item);
    }
    if (change.kind === 'message' || change.kind === 'unread' || change.kind === 'members' || change.kind === 'reset') {
      showEntry(entry);
    }
    if (change.kind === 'members' && entry === open) {
      showHeader();
    }
  });
  conversation.joined.then(() => showEntry(entry), (error) => drop(entry, error));
  showEntry(entry);
  return entry;
}

/**
 * Takes a conversation that could not be joined (e.g. `forbidden`) off the list.
 * @param {Entry} entry
 * @param {Error} error
 */
function drop(entry, error) {
  entries.delete(entry.conversation.id);
  entry.item.remove();
  entry.conversation.dispose();
  joinProblem.textContent = `无法加入 ${entry.conversation.id} / Cannot join ${entry.conversation.id}: ${error.message}`;
  if (entry === open) {
    open = null;
    session.openRoom = undefined;
    view.show(null);
    showHeader();
  }
  updateList();
}

/** @param {Entry} entry */
function showEntry(entry) {
  const { conversation, button, item, summary } = entry;
  const last = conversation.lastMessage ?? summary?.lastMessage;
  const unread = conversation.room.state === 'joined' ? conversation.unread : summary?.unread ?? 0;
  const online = conversation.ownerOnline;
  item.dataset.unread = String(unread);
  button.replaceChildren(
    el('span', { class: 'conversation-top' },
      el('span', { class: 'conversation-name' }, conversation.owner ?? conversation.id),
      online === undefined ? null : presence(online),
      unread > 0
        ? el('span', { class: 'unread' }, el('span', { class: 'unread-count' }, String(unread)), el('span', { class: 'visually-hidden' }, ' 条未读 / unread'))
        : null),
    el('span', { class: 'conversation-preview' },
      last === undefined ? '暂无消息 / No messages yet' : `${last.from === client.userId ? '我 / Me' : last.from}: ${messageText(last.data)}`));
  if (conversation.owner !== null) {
    button.append(el('span', { class: 'conversation-room' }, conversation.id));
  }
  updateTitle();
}

function showHeader() {
  if (open === null) {
    chatTitle.textContent = '请选择会话 / Choose a conversation';
    chatPresence.replaceChildren();
    return;
  }
  const { conversation } = open;
  chatTitle.textContent = conversation.owner ?? conversation.id;
  const online = conversation.ownerOnline;
  chatPresence.replaceChildren(conversation.id);
  if (online !== undefined) {
    chatPresence.append(' · ', presence(online));
  }
}

/** @param {boolean} online */
function presence(online) {
  return el('span', { class: 'presence-dot', 'data-online': String(online) }, online ? '在线 / Online' : '离线 / Offline');
}

function updateList() {
  noConversations.hidden = entries.size > 0;
}

/** The total unread count in the tab's title, so it shows in the tab strip. */
function updateTitle() {
  let total = 0;
  for (const { conversation, summary } of entries.values()) {
    total += conversation.room.state === 'joined' ? conversation.unread : summary?.unread ?? 0;
  }
  document.title = total > 0 ? `(${total}) ${TITLE}` : TITLE;
}
