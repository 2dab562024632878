// @ts-check
import { el, messageText, shortTime } from './dom.js';

/** @typedef {import('./conversation.js').Conversation} Conversation */
/** @typedef {import('./conversation.js').Change} Change */
/** @typedef {import('./conversation.js').PendingMessage} PendingMessage */
/** @typedef {import('../lib/realtime/index.js').Message} Message */

/** How long the other side's typing indicator stays after their last notice (the library sends one every 2 s while they type). */
const TYPING_SHOWN_MS = 4000;

/** Pixels from the top of the log at which older messages are loaded, and from the bottom that count as "at the bottom". */
const EDGE_PX = 48;

/** Pages of history loaded at most to fill the log when a conversation opens (a hidden log never fills). */
const FILL_PAGES_MAX = 5;

/** The labels of an own message's delivery state. */
const TICKS = {
  pending: '发送中 / Sending',
  sent: '已发送 / Sent',
  read: '已读 / Read',
  failed: '未发送 / Not sent',
};

/**
 * The chat of one conversation: bubbles (sender, time, text; the user's own on the right with their state: sending,
 * sent once acked, read once the other side's read cursor passed them), older messages loaded on scrolling up, the
 * other side's typing indicator, and the message box (Enter sends, Shift+Enter breaks the line). Message text is only
 * ever set as text, never parsed as HTML.
 */
export class ChatView {
  /**
   * Adds the chat to `container`: a button that loads older messages (for keyboards), the `role="log"` conversation,
   * the typing indicator and the message box.
   * @param {HTMLElement} container
   * @param {{ placeholder: string }} options the message box's placeholder
   */
  constructor(container, { placeholder }) {
    const input = el('textarea', {
      name: 'message', rows: '1', maxlength: '4000', 'aria-label': '消息 / Message', placeholder, disabled: true,
    });
    this.parts = {
      older: el('button', { type: 'button', class: 'older' }, '加载更早的消息 / Load earlier messages'),
      log: el('div', { class: 'messages', role: 'log', 'aria-label': '对话 / Conversation', tabindex: '0' }),
      typing: el('p', { class: 'typing', 'aria-live': 'polite' }),
      form: el('form', { class: 'composer' }, input, el('button', { type: 'submit', disabled: true }, '发送 / Send')),
      input,
    };
    container.append(this.parts.older, this.parts.log, this.parts.typing, this.parts.form);
    /** @type {Conversation | null} */
    this.conversation = null;
    /** @type {(() => void) | null} */
    this.stopListening = null;
    /** @type {Map<string, HTMLElement>} the bubbles by `seq:<n>`, and pending ones by `id:<id>` */
    this.bubbles = new Map();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.typingTimer = undefined;
    /** @type {string | null} */
    this.typist = null;

    const { log, older, form } = this.parts;
    input.addEventListener('keydown', (event) => {
      // Not while an input method is composing (Chinese, Japanese): there Enter picks the characters.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    input.addEventListener('input', () => this.conversation?.room.typing());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (text && this.conversation) {
        this.conversation.send(text);
        input.value = '';
      }
      input.focus();
    });
    log.addEventListener('scroll', () => {
      if (log.scrollTop < EDGE_PX) {
        this.loadOlder();
      }
    });
    older.addEventListener('click', () => this.loadOlder());
    document.addEventListener('visibilitychange', () => this.markRead());
    window.addEventListener('focus', () => this.markRead());
  }

  /**
   * Shows a conversation (null: none, the message box is disabled).
   * @param {Conversation | null} conversation
   */
  show(conversation) {
    const { log } = this.parts;
    this.stopListening?.();
    this.stopListening = null;
    this.conversation = conversation;
    this.bubbles.clear();
    log.replaceChildren();
    this.hideTyping();
    this.enableComposer(conversation !== null && conversation.closed === null);
    this.updateOlder();
    // Busy until the room is joined and its latest messages are shown.
    log.setAttribute('aria-busy', String(conversation !== null));
    if (conversation === null) {
      return;
    }
    conversation.messages.forEach((message) => this.place(this.bubble(message), message.seq));
    conversation.pending.forEach((pending) => this.placePending(pending));
    this.updateTicks();
    this.stopListening = conversation.onChange((change) => this.onChange(change));
    this.scrollToBottom();
    if (conversation.closed !== null) {
      this.showClosed(conversation.closed);
      return;
    }
    void this.fill(conversation);
    this.markRead();
  }

  /** @param {boolean} enabled */
  enableComposer(enabled) {
    const { input, form } = this.parts;
    input.disabled = !enabled;
    form.querySelectorAll('button').forEach((button) => (button.disabled = !enabled));
  }

  /**
   * Says why the conversation can no longer be used, and closes the message box.
   * @param {string} reason
   */
  showClosed(reason) {
    this.enableComposer(false);
    this.parts.log.setAttribute('aria-busy', 'false');
    this.parts.log.append(el('p', { class: 'notice', role: 'alert' }, reason));
    this.scrollToBottom();
  }

  /** Moves the read cursor when the user can see the conversation. */
  markRead() {
    if (document.visibilityState === 'visible') {
      this.conversation?.markRead();
    }
  }

  /** @param {Change} change */
  onChange(change) {
    switch (change.kind) {
      case 'message': {
        const { message } = change;
        const stick = this.atBottom() || message.from === this.conversation?.me;
        const waiting = message.id !== undefined ? this.bubbles.get(`id:${message.id}`) : undefined;
        if (waiting !== undefined && message.from === this.conversation?.me) {
          // The ack of a message sent from this page: the pending bubble takes its seq and place.
          this.bubbles.delete(`id:${message.id}`);
          delete waiting.dataset.pending;
          this.place(waiting, message.seq);
        } else {
          this.place(this.bubble(message), message.seq);
        }
        if (message.from === this.typist) {
          this.hideTyping();
        }
        this.updateTicks();
        if (stick) {
          this.scrollToBottom();
        }
        this.markRead();
        break;
      }
      case 'older':
        this.showOlder(change.messages);
        break;
      case 'pending':
        this.placePending(change.pending);
        this.scrollToBottom();
        break;
      case 'receipt':
        this.updateTicks();
        break;
      case 'typing':
        this.showTyping(change.userId);
        break;
      case 'reset':
        if (this.conversation !== null) {
          this.show(this.conversation);
          this.place(el('p', { class: 'notice' }, '服务器已不再保存此前的消息 / The server no longer has the earlier messages'),
            change.seq + 0.5);
        }
        break;
      case 'closed':
        this.showClosed(change.reason);
        break;
      case 'gap':
        this.place(el('p', { class: 'notice' },
          `消息 ${change.from}–${change.to} 已无法找回 / Messages ${change.from}–${change.to} could not be recovered`), change.to);
        break;
      default:
        break;
    }
  }

  /**
   * A bubble for a message (own or not).
   * @param {Message | PendingMessage} message
   */
  bubble(message) {
    const from = 'from' in message ? message.from : this.conversation?.me;
    const mine = from === this.conversation?.me;
    return el('article', { class: `bubble ${mine ? 'mine' : 'theirs'}` },
      el('header', { class: 'meta' },
        el('span', { class: 'sender' }, mine ? '我 / Me' : from ?? ''),
        ' ',
        el('time', { datetime: message.ts, title: new Date(message.ts).toLocaleString('zh-CN') }, shortTime(message.ts))),
      el('p', { class: 'text' }, messageText(message.data)),
      mine ? el('footer', { class: 'tick' }) : null);
  }

  /** @param {PendingMessage} pending */
  placePending(pending) {
    let bubble = this.bubbles.get(`id:${pending.id}`);
    if (bubble === undefined) {
      bubble = this.bubble(pending);
      bubble.dataset.pending = '';
      this.bubbles.set(`id:${pending.id}`, bubble);
      this.parts.log.append(bubble);
    }
    const conversation = this.conversation;
    const retry = pending.failed !== undefined && conversation !== null
      ? el('button', { type: 'button', class: 'link' }, '重试 / Retry')
      : null;
    retry?.addEventListener('click', () => conversation?.retry(pending.id));
    this.setTick(bubble, pending.failed === undefined ? 'pending' : 'failed', retry, pending.failed);
  }

  /**
   * Puts a bubble (or notice) in seq order: before the first element with a higher seq and before pending bubbles.
   * @param {HTMLElement} element
   * @param {number} seq
   */
  place(element, seq) {
    element.dataset.seq = String(seq);
    if (element.classList.contains('bubble')) {
      this.bubbles.set(`seq:${seq}`, element);
    }
    const { log } = this.parts;
    /** @type {Element | null} */
    let before = null;
    for (let node = log.lastElementChild; node !== null; node = node.previousElementSibling) {
      if (node === element || !(node instanceof HTMLElement)) {
        continue;
      }
      if (node.dataset.seq === undefined || Number(node.dataset.seq) > seq) {
        before = node;
      } else {
        break;
      }
    }
    log.insertBefore(element, before);
  }

  /** Sets the state line of the user's own messages that have a seq: sent, or read. */
  updateTicks() {
    const conversation = this.conversation;
    if (conversation === null) {
      return;
    }
    const read = conversation.readByOthers;
    for (const message of conversation.messages) {
      const bubble = this.bubbles.get(`seq:${message.seq}`);
      if (bubble?.classList.contains('mine')) {
        this.setTick(bubble, message.seq <= read ? 'read' : 'sent', null, undefined);
      }
    }
  }

  /**
   * @param {HTMLElement} bubble
   * @param {keyof typeof TICKS} state
   * @param {HTMLButtonElement | null} retry
   * @param {string | undefined} reason
   */
  setTick(bubble, state, retry, reason) {
    const tick = bubble.querySelector('.tick');
    if (!(tick instanceof HTMLElement) || tick.dataset.state === state) {
      return;
    }
    tick.dataset.state = state;
    tick.replaceChildren(reason ? `${TICKS[state]} (${reason})` : TICKS[state], retry ? ' ' : '', retry ?? '');
  }

  /** @param {string} userId */
  showTyping(userId) {
    this.typist = userId;
    this.parts.typing.textContent = `${userId} 正在输入… / ${userId} is typing…`;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.hideTyping(), TYPING_SHOWN_MS);
  }

  hideTyping() {
    clearTimeout(this.typingTimer);
    this.typist = null;
    this.parts.typing.textContent = '';
  }

  loadOlder() {
    this.conversation?.loadOlder().catch(() => undefined);
  }

  /**
   * Older messages came: they go on top, and what the user was looking at stays where it was.
   * @param {Message[]} messages
   */
  showOlder(messages) {
    const { log } = this.parts;
    const height = log.scrollHeight;
    messages.forEach((message) => this.place(this.bubble(message), message.seq));
    this.updateTicks();
    log.scrollTop += log.scrollHeight - height;
    this.updateOlder();
  }

  updateOlder() {
    const { older } = this.parts;
    const complete = this.conversation === null || this.conversation.complete;
    older.disabled = complete;
    older.textContent = this.conversation !== null && complete
      ? '没有更早的消息 / No earlier messages'
      : '加载更早的消息 / Load earlier messages';
  }

  /**
   * Waits for the join, then loads older pages until the log can scroll (so scrolling up can ask for more) or the
   * history is all there.
   * @param {Conversation} conversation
   */
  async fill(conversation) {
    const { log } = this.parts;
    try {
      await conversation.joined;
      for (let page = 0; page < FILL_PAGES_MAX && conversation === this.conversation && !conversation.complete
        && log.scrollHeight <= log.clientHeight + EDGE_PX; page++) {
        await conversation.loadOlder();
      }
    } catch {
      // Refused or disconnected: scrolling up or the button tries again.
    }
    if (conversation === this.conversation) {
      log.setAttribute('aria-busy', 'false');
      this.scrollToBottom();
    }
  }

  atBottom() {
    const { log } = this.parts;
    return log.scrollHeight - log.scrollTop - log.clientHeight < EDGE_PX;
  }

  scrollToBottom() {
    this.parts.log.scrollTop = this.parts.log.scrollHeight;
  }
}
