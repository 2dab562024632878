import { Emitter } from './emitter.js';
import { RealtimeError, RETRYABLE_CODES } from './errors.js';
import type { RequestKind } from './requests.js';
import { SeqOrder } from './seq-order.js';
import type { HistoryPage, JoinInfo, Member, Message, Reader, RoomEvents, SendAck } from './types.js';
import { toMessage } from './wire.js';

/** Whether a room is joined: `idle` (not joined), `joining` (waiting for the server), `joined`, `left`. */
export type RoomState = 'idle' | 'joining' | 'joined' | 'left';

/** Messages asked for per page when the server cut a recovery short (`more: true`). */
const RECOVERY_PAGE = 200;

/** What a room needs from its client. */
export interface RoomHost {
  readonly userId: string | undefined;
  readonly connected: boolean;
  readonly gapTimeout: number;
  readonly typingInterval: number;
  readonly counters: { duplicates: number; gaps: number };
  request(frame: Record<string, unknown>, key: string | null, kind: RequestKind): Promise<any>;
  send(frame: Record<string, unknown>, id: string | undefined): Promise<SendAck>;
  fire(frame: Record<string, unknown>): void;
  forget(room: Room): void;
  retryDelay(attempt: number): number;
}

/**
 * One room, from `client.room(id)`. After `join()` it delivers every message once and in seq order (`message`),
 * rejoining with `since` after each reconnect, and keeps the unread count and the members' read cursors.
 */
export class Room extends Emitter<RoomEvents> {
  /** The room id. */
  readonly id: string;
  /** The members' read cursors by user id (yours included), from `joined` and `receipt` frames. */
  readonly readers = new Map<string, number>();
  /** The members as of the last join, kept current by presence events. */
  members: Member[] = [];
  /** Messages after your read cursor that others sent. */
  unread = 0;

  private readonly host: RoomHost;
  private stateValue: RoomState = 'idle';
  private order: SeqOrder<Message> | undefined;
  private info: JoinInfo | undefined;
  private waiters: Array<{ resolve: (info: JoinInfo) => void; reject: (error: RealtimeError) => void }> = [];
  private recovering = false;
  private recoverAgain = false;
  private recoveryFailures = 0;
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  // Unread: the count the server gave at the last join, plus the seqs of others' messages delivered after it.
  private joinedSeq = 0;
  private baseUnread = 0;
  private laterUnread: number[] = [];
  private lastTyping = 0;

  /** Rooms are made by `client.room(id)`. */
  constructor(host: RoomHost, id: string) {
    super();
    this.host = host;
    this.id = id;
  }

  get state(): RoomState {
    return this.stateValue;
  }

  /** The last seq delivered (undefined before the first join). Keep it to join with `since` after a reload. */
  get lastSeq(): number | undefined {
    return this.order?.last;
  }

  /**
   * Joins the room; resolves once the server answered, which may be after a reconnect. `since`: the last seq the
   * page has already shown (after a reload), so that later messages are delivered first.
   */
  join(options: { since?: number } = {}): Promise<JoinInfo> {
    if (this.stateValue === 'joined' && this.info) {
      return Promise.resolve(this.info);
    }
    if (this.stateValue === 'left') {
      // The client has forgotten this object: joined again, it would get no messages and no rejoin after a reconnect.
      return Promise.reject(new RealtimeError('left', 'the room was left: join it through client.room(id) again / 已离开房间'));
    }
    const joined = new Promise<JoinInfo>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.stateValue !== 'joining') {
      this.stateValue = 'joining';
      if (options.since !== undefined && this.order === undefined) {
        this.order = new SeqOrder<Message>(options.since, this.host.counters);
      }
      this.recover();
    }
    return joined;
  }

  /** Leaves the room (the user is no longer a member); stops its events. */
  async leave(): Promise<void> {
    this.stop();
    this.stateValue = 'left';
    this.rejectWaiters(new RealtimeError('left', 'the room was left / 已离开房间'));
    this.host.forget(this);
    await this.host.request({ type: 'leave', room: this.id }, `left:${this.id}`, 'request');
    this.emit('left', { room: this.id, revoked: false });
  }

  /** Sends a message; resolves with its seq once the server stored it. Re-sent with the same id across reconnects. */
  send(data: unknown, options: { id?: string } = {}): Promise<SendAck> {
    // Others hide the typing indicator when the message arrives: typing again right after it is news at once.
    this.lastTyping = 0;
    return this.host.send({ type: 'send', room: this.id, data }, options.id);
  }

  /** Older messages (`before` a seq, the latest `limit`) or newer ones (`after` a seq), oldest first. */
  async history(options: { before?: number; after?: number; limit?: number } = {}): Promise<HistoryPage> {
    const frame = await this.host.request({ type: 'history', room: this.id, ...options }, `history:${this.id}`, 'request');
    return { messages: (frame.messages ?? []).map(toMessage), more: frame.more === true };
  }

  /** The members and whether each is online. */
  async presence(): Promise<Member[]> {
    const frame = await this.host.request({ type: 'presence', room: this.id }, `presence:${this.id}`, 'request');
    this.members = frame.members ?? [];
    return this.members;
  }

  /** Tells the others you are typing; call it on every keystroke, it sends at most one notice per `typingInterval`. */
  typing(): void {
    const now = Date.now();
    if (this.stateValue !== 'joined' || !this.host.connected || now - this.lastTyping < this.host.typingInterval) {
      return;
    }
    this.lastTyping = now;
    this.host.fire({ type: 'typing', room: this.id });
  }

  /** Marks everything up to `seq` (default: the last delivered) as read; resolves with your cursor. */
  async markRead(seq?: number): Promise<{ seq: number }> {
    const frame = await this.host.request({ type: 'read', room: this.id, seq: seq ?? this.lastSeq ?? 0 }, null, 'request');
    this.onReceipt({ userId: frame.userId, seq: frame.seq });
    return { seq: frame.seq };
  }

  /** @internal (Re)joins with `since` = the last delivered seq and pages on while the server says `more`. */
  recover(): void {
    if (!this.host.connected || (this.stateValue !== 'joining' && this.stateValue !== 'joined')) {
      return;
    }
    if (this.recovering) {
      this.recoverAgain = true;
      return;
    }
    this.recovering = true;
    clearTimeout(this.retryTimer);
    void this.runRecovery().finally(() => {
      this.recovering = false;
    });
  }

  /** @internal A live message. */
  onLive(message: Message): void {
    if (this.order === undefined || this.stateValue === 'left' || this.stateValue === 'idle') {
      return;
    }
    this.deliver(this.order.accept(message));
    this.watchGap();
  }

  /** @internal The ack of one of your messages: it takes its place in the order like anybody's. */
  onOwnMessage(message: Message): void {
    this.onLive(message);
  }

  /** @internal */
  onReceipt(frame: { userId: string; seq: number }): void {
    if (typeof frame.userId !== 'string' || typeof frame.seq !== 'number') {
      return;
    }
    this.readers.set(frame.userId, Math.max(frame.seq, this.readers.get(frame.userId) ?? 0));
    if (frame.userId === this.host.userId) {
      this.countUnread();
    }
    this.emit('receipt', { room: this.id, userId: frame.userId, seq: frame.seq });
  }

  /** @internal */
  onTyping(frame: { userId: string }): void {
    this.emit('typing', { room: this.id, userId: frame.userId });
  }

  /** @internal A presence or membership `event` frame. */
  onEvent(frame: { event: string; userId: string }): void {
    const { event, userId } = frame;
    if (event === 'user_left') {
      this.members = this.members.filter((m) => m.userId !== userId);
    } else if (event === 'user_joined' || event === 'user_online' || event === 'user_offline') {
      const online = event !== 'user_offline';
      const known = this.members.some((m) => m.userId === userId);
      this.members = known
        ? this.members.map((m) => (m.userId === userId && event !== 'user_joined' ? { userId, online } : m))
        : [...this.members, { userId, online }];
    } else {
      return;
    }
    this.emit('presence', { room: this.id, userId, event: event as 'user_joined' });
  }

  /** @internal The server took the room away (`left` without a request): access revoked. */
  onRevoked(): void {
    if (this.stateValue === 'left') {
      return;
    }
    this.stop();
    this.stateValue = 'left';
    this.rejectWaiters(new RealtimeError('forbidden', 'access to the room was revoked / 已被移出房间'));
    this.host.forget(this);
    this.emit('left', { room: this.id, revoked: true });
  }

  /** @internal The client stopped for good: waiting joins fail, and the room stays joined for a later `connect()`. */
  onClientStopped(error: RealtimeError): void {
    this.stop();
    if (this.stateValue === 'joining') {
      this.stateValue = 'idle';
    }
    this.rejectWaiters(error);
  }

  private async runRecovery(): Promise<void> {
    try {
      do {
        this.recoverAgain = false;
        const since = this.order?.last;
        const joined = await this.host.request({ type: 'join', room: this.id, since }, `joined:${this.id}`, 'internal');
        if (this.stateValue !== 'joining' && this.stateValue !== 'joined') {
          return;
        }
        this.onJoined(joined, since);
        let more = joined.more === true;
        while (more && this.order) {
          const page = await this.host.request(
            { type: 'history', room: this.id, after: this.order.last, limit: RECOVERY_PAGE }, `history:${this.id}`, 'internal');
          const messages: Message[] = (page.messages ?? []).map(toMessage);
          for (const message of messages) {
            this.deliver(this.order.accept(message));
          }
          more = page.more === true && messages.length > 0;
        }
      } while (this.recoverAgain);
      this.recoveryFailures = 0;
      this.watchGap();
    } catch (error) {
      this.onRecoveryFailed(error instanceof RealtimeError ? error : new RealtimeError('internal', String(error)));
    }
  }

  private onJoined(frame: any, since: number | undefined): void {
    const replay: Message[] = (frame.messages ?? []).map(toMessage);
    const recovered = frame.recovered !== false;
    if (this.order === undefined) {
      this.order = new SeqOrder<Message>(frame.seq, this.host.counters);
    } else if (since !== undefined && frame.seq < since) {
      // The server's room is behind what was delivered: its state was lost (an embedded front restarted, storage was
      // wiped) and its seqs start again. Later messages are delivered from its seq on; the page drops what it shows.
      this.order = new SeqOrder<Message>(frame.seq, this.host.counters);
      this.emit('reset', { room: this.id, seq: frame.seq });
    } else if (since !== undefined && !recovered) {
      const firstKept = replay.length > 0 ? replay[0]!.seq : frame.seq + 1;
      if (firstKept - 1 > this.order.last) {
        this.host.counters.gaps++;
        this.emit('gap', { room: this.id, from: this.order.last + 1, to: firstKept - 1 });
        this.deliver(this.order.skipTo(firstKept - 1));
      }
    }
    this.joinedSeq = frame.seq;
    this.baseUnread = typeof frame.unread === 'number' ? frame.unread : 0;
    this.laterUnread = [];
    for (const message of replay) {
      this.deliver(this.order.accept(message));
    }
    this.members = frame.members ?? [];
    this.readers.clear();
    for (const reader of (frame.readers ?? []) as Reader[]) {
      this.readers.set(reader.userId, reader.seq);
    }
    this.stateValue = 'joined';
    this.countUnread();
    this.info = {
      room: this.id, seq: frame.seq, members: this.members, unread: this.unread, readers: [...(frame.readers ?? [])], recovered,
    };
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w.resolve(this.info!));
    this.emit('joined', this.info);
  }

  private onRecoveryFailed(error: RealtimeError): void {
    if (error.code === 'disconnected') {
      return; // the next connection recovers the room
    }
    if (RETRYABLE_CODES.has(error.code) || error.code === 'timeout') {
      this.retryTimer = setTimeout(() => this.recover(), this.host.retryDelay(this.recoveryFailures++));
      return;
    }
    this.stop();
    this.stateValue = 'idle';
    this.rejectWaiters(error);
    this.emit('error', error);
  }

  private deliver(messages: Message[]): void {
    const me = this.host.userId;
    for (const message of messages) {
      if (message.from !== me && message.seq > this.joinedSeq) {
        this.laterUnread.push(message.seq);
      }
      this.emit('message', message);
    }
    if (messages.length > 0) {
      this.countUnread();
    }
  }

  private countUnread(): void {
    const cursor = this.readers.get(this.host.userId ?? '') ?? 0;
    if (cursor >= this.joinedSeq) {
      this.baseUnread = 0;
    }
    // Seqs arrive in order and the cursor only moves forward, so the read ones are a prefix.
    const firstUnread = this.laterUnread.findIndex((seq) => seq > cursor);
    this.laterUnread = firstUnread < 0 ? [] : this.laterUnread.slice(firstUnread);
    const count = this.baseUnread + this.laterUnread.length;
    if (count !== this.unread) {
      this.unread = count;
      this.emit('unread', count);
    }
  }

  /** A message waits behind a missing seq: if the gap is still there after `gapTimeout`, the room is recovered. */
  private watchGap(): void {
    if (this.gapTimer !== undefined || !this.order?.hasGap) {
      return;
    }
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      if (this.order?.hasGap) {
        this.recover();
      }
    }, this.host.gapTimeout);
  }

  private stop(): void {
    clearTimeout(this.gapTimer);
    clearTimeout(this.retryTimer);
    this.gapTimer = undefined;
    this.retryTimer = undefined;
  }

  private rejectWaiters(error: RealtimeError): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w.reject(error));
  }
}
