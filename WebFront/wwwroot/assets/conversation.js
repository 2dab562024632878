// @ts-check
/** @typedef {import('../lib/realtime/index.js').WeDrawOSClient} WeDrawOSClient */
/** @typedef {import('../lib/realtime/index.js').Room} Room */
/** @typedef {import('../lib/realtime/index.js').Message} Message */
/** @typedef {import('../lib/realtime/index.js').JoinInfo} JoinInfo */

/**
 * One of the user's own messages that has no seq yet: waiting for its ack, or refused (`failed` is the error code).
 * @typedef {{ id: string, data: { text: string }, ts: string, failed?: string }} PendingMessage
 */

/**
 * What changed in a conversation.
 * @typedef {{ kind: 'message', message: Message }
 *   | { kind: 'older', messages: Message[] }
 *   | { kind: 'pending', pending: PendingMessage }
 *   | { kind: 'receipt' }
 *   | { kind: 'typing', userId: string }
 *   | { kind: 'members' }
 *   | { kind: 'unread', count: number }
 *   | { kind: 'gap', from: number, to: number }
 *   | { kind: 'reset', seq: number }
 *   | { kind: 'closed', reason: string }} Change
 */

/** Messages asked for per page of older history. */
const HISTORY_PAGE = 30;

/**
 * A joined room as a conversation: its messages by seq (the live ones from the library, which delivers each seq once
 * and in order also after reconnects, and older pages of history), the user's own messages still waiting for their
 * ack, read cursors, unread count, members and typing notices, for a view to show.
 */
export class Conversation {
  /**
   * @param {WeDrawOSClient} client
   * @param {string} id the room
   * @param {string | null} owner the customer whose private conversation it is, if it is one
   */
  constructor(client, id, owner) {
    this.client = client;
    this.id = id;
    this.owner = owner;
    this.room = client.room(id);
    /** @type {Message[]} oldest first */
    this.messages = [];
    /** @type {Map<string, PendingMessage>} by message id, oldest first */
    this.pending = new Map();
    /** True when there is nothing older to load. */
    this.complete = false;
    /** @type {Set<(change: Change) => void>} */
    this.listeners = new Set();
    /** @type {Promise<void> | null} */
    this.loading = null;
    this.reading = false;
    this.readAgain = false;
    /** @type {Set<number>} */
    this.seqs = new Set();
    /** @type {string | null} why the conversation can no longer be used (the server took it away, a rejoin was refused) */
    this.closed = null;

    this.stopListening = [
      this.room.on('message', (message) => this.onMessage(message)),
      this.room.on('receipt', () => this.notify({ kind: 'receipt' })),
      this.room.on('joined', () => {
        this.notify({ kind: 'members' });
        this.notify({ kind: 'receipt' });
      }),
      this.room.on('presence', () => this.notify({ kind: 'members' })),
      this.room.on('typing', (event) => this.notify({ kind: 'typing', userId: event.userId })),
      this.room.on('unread', (count) => this.notify({ kind: 'unread', count })),
      this.room.on('gap', (gap) => this.notify({ kind: 'gap', from: gap.from, to: gap.to })),
      this.room.on('reset', (event) => this.reset(event.seq)),
      this.room.on('left', (event) => event.revoked && this.close('你已不在此对话中 / You are no longer in this conversation')),
      this.room.on('error', (error) => this.close(`无法进入对话 / Cannot open the conversation: ${error.message}`)),
    ];
    /** @type {Promise<JoinInfo>} resolves once joined; rejects when refused (e.g. `forbidden`) */
    this.joined = this.room.join();
    this.joined.catch(() => undefined);
  }

  /** The user of this tab (known once connected). */
  get me() {
    return this.client.userId;
  }

  /** Messages after the user's read cursor that others sent. */
  get unread() {
    return this.room.unread;
  }

  /** The latest message, if any was seen. */
  get lastMessage() {
    return this.messages.at(-1);
  }

  /**
   * Whether the customer of a private conversation has a connection open (undefined when unknown: not a private
   * conversation, or the customer never joined it).
   * @returns {boolean | undefined}
   */
  get ownerOnline() {
    return this.room.members.find((member) => member.userId === this.owner)?.online;
  }

  /** The other members who are online. */
  get othersOnline() {
    return this.room.members.filter((member) => member.online && member.userId !== this.me).map((member) => member.userId);
  }

  /**
   * The highest seq the other side has read: the customer's cursor when an agent looks at a private conversation,
   * otherwise the highest cursor of anybody else.
   */
  get readByOthers() {
    if (this.owner !== null && this.owner !== this.me) {
      return this.room.readers.get(this.owner) ?? 0;
    }
    let highest = 0;
    for (const [userId, seq] of this.room.readers) {
      if (userId !== this.me) {
        highest = Math.max(highest, seq);
      }
    }
    return highest;
  }

  /**
   * Calls `listener` on every change; returns the function that stops it.
   * @param {(change: Change) => void} listener
   */
  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sends a message; it shows as pending at once, and as sent when the server acked it (a `message` change with the
   * same id). A send the library gave up on (timeout, too large) stays pending with `failed` until `retry`.
   * @param {string} text
   */
  send(text) {
    /** @type {PendingMessage} */
    const pending = { id: messageId(), data: { text }, ts: new Date().toISOString() };
    this.pending.set(pending.id, pending);
    this.notify({ kind: 'pending', pending });
    this.deliver(pending);
  }

  /**
   * Sends a failed message again with the same id (the server de-duplicates it if the first one was stored after all).
   * @param {string} id
   */
  retry(id) {
    const pending = this.pending.get(id);
    if (pending?.failed !== undefined) {
      delete pending.failed;
      this.notify({ kind: 'pending', pending });
      this.deliver(pending);
    }
  }

  /** Loads the page of history before the oldest message shown (an `older` change); one load at a time. */
  loadOlder() {
    if (this.complete) {
      return Promise.resolve();
    }
    this.loading ??= this.readOlder().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Moves the read cursor to the last message delivered; calls while one is under way are folded into one more. */
  markRead() {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    const last = this.room.lastSeq ?? 0;
    if (this.room.state !== 'joined' || last <= (this.room.readers.get(this.me ?? '') ?? 0)) {
      return;
    }
    this.reading = true;
    this.room.markRead(last).catch(() => undefined).finally(() => {
      this.reading = false;
      if (this.readAgain) {
        this.readAgain = false;
        this.markRead();
      }
    });
  }

  /** Stops listening to the room (the conversation is dropped from the page). */
  dispose() {
    this.stopListening.forEach((stop) => stop());
    this.listeners.clear();
  }

  async readOlder() {
    await this.joined;
    const before = this.messages[0]?.seq ?? (this.room.lastSeq ?? 0) + 1;
    if (before <= 1) {
      this.complete = true;
      this.notify({ kind: 'older', messages: [] });
      return;
    }
    const page = await this.room.history({ before, limit: HISTORY_PAGE });
    const added = page.messages.filter((message) => this.add(message));
    // `more` says whether the room keeps messages older than this page.
    this.complete = !page.more || page.messages.length === 0;
    this.notify({ kind: 'older', messages: added });
  }

  /**
   * The server lost the room's state and numbers its messages again after `seq`: what was shown no longer matches.
   * @param {number} seq
   */
  reset(seq) {
    this.messages = [];
    this.seqs.clear();
    this.complete = false;
    this.notify({ kind: 'reset', seq });
  }

  /**
   * The room is no longer joined and will not be again by itself: nothing more arrives and sends would go nowhere.
   * @param {string} reason
   */
  close(reason) {
    this.closed = reason;
    this.notify({ kind: 'closed', reason });
  }

  /** @param {Message} message */
  onMessage(message) {
    if (message.id !== undefined && message.from === this.me) {
      this.pending.delete(message.id);
    }
    if (this.add(message)) {
      this.notify({ kind: 'message', message });
    }
  }

  /**
   * Puts a message in seq order; false when its seq is already there.
   * @param {Message} message
   */
  add(message) {
    if (this.seqs.has(message.seq)) {
      return false;
    }
    this.seqs.add(message.seq);
    let index = this.messages.length;
    while (index > 0 && (this.messages[index - 1]?.seq ?? 0) > message.seq) {
      index--;
    }
    this.messages.splice(index, 0, message);
    return true;
  }

  /** @param {PendingMessage} pending */
  deliver(pending) {
    this.room.send(pending.data, { id: pending.id }).catch((error) => {
      if (this.pending.has(pending.id)) {
        pending.failed = typeof error?.code === 'string' ? error.code : 'error';
        this.notify({ kind: 'pending', pending });
      }
    });
  }

  /** @param {Change} change */
  notify(change) {
    for (const listener of [...this.listeners]) {
      listener(change);
    }
  }
}

/** A message id unique per user across tabs and reloads (crypto.randomUUID needs a secure context; this does not). */
function messageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
