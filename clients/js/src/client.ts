import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
import { RateBucket } from './rate-bucket.js';
import { RealtimeError, RETRYABLE_CODES } from './errors.js';
import { Requests, type Pending, type RequestKind } from './requests.js';
import { Room, type RoomHost } from './room.js';
import { SeqOrder } from './seq-order.js';
import { tokenExpiry } from './token.js';
import type {
  ClientEvents, ClientOptions, ConnectionState, Message, RoomSummary, SendAck, StateDetail, TokenRequest, WebSocketConstructor,
  WebSocketLike,
} from './types.js';
import { byteLength, handshakeStatusOf, toMessage, withToken } from './wire.js';

/** Direct messages asked for per inbox page when catching up. */
const INBOX_PAGE = 1000;

/** A token valid for less than this is not used for a new connection: a fresh one is asked for. */
const TOKEN_MARGIN_MS = 10_000;

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2_147_483_647;

interface Settings {
  url: string;
  getToken: (request: TokenRequest) => Promise<string> | string;
  backoff: BackoffOptions;
  maxAttempts: number;
  sendTimeout: number;
  requestTimeout: number;
  maxPendingSends: number;
  sendWindow: number;
  refreshBefore: number;
  pingInterval: number | undefined;
  pongTimeout: number;
  gapTimeout: number;
  typingInterval: number;
  maxFrameBytes: number;
  inboxSince: number | undefined;
  rateBurst: number;
  ratePerSecond: number;
}

/** Figures of what the client did, for logs and soak tests. */
export interface ClientStats {
  /** Connections opened after the first. */
  reconnects: number;
  /** Frames written again (after a reconnect, or a retry after `busy` / `rate_limited`). */
  resent: number;
  /** Messages received twice and dropped (room and inbox). */
  duplicates: number;
  /** Ranges of messages the server could no longer recover (`gap` events). */
  gaps: number;
}

/**
 * A connection to the WeDrawOS realtime core that survives network loss: it reconnects with back-off, rejoins every
 * joined room with `since` and catches up the inbox (paging while the server says `more`), delivers each message
 * once and in seq order, re-sends unacknowledged messages with the same id until acked, and refreshes the token
 * before it expires.
 */
export class WeDrawOSClient extends Emitter<ClientEvents> {
  /** The user the server connected (from `welcome`). */
  userId: string | undefined;
  /** The server's id of the current connection. */
  connectionId: string | undefined;

  private readonly settings: Settings;
  private readonly WebSocketClass: WebSocketConstructor;
  private readonly roomsById = new Map<string, Room>();
  private readonly requests = new Requests();
  private readonly counters = { reconnects: 0, resent: 0, duplicates: 0, gaps: 0 };
  private readonly idPrefix = randomId();
  private readonly host: RoomHost;
  private stateValue: ConnectionState = 'disconnected';
  private socket: WebSocketLike | undefined;
  private generation = 0;
  private welcomed = false;
  private everConnected = false;
  private stopped = true;
  private attempt = 0;
  private nextId = 0;
  private token: string | undefined;
  private tokenExp: number | undefined;
  private tokenReason: TokenRequest['reason'] = 'connect';
  private refusedInARow = 0;
  /** Connections in a row that ended before `welcome` without an HTTP status. */
  private silentFailures = 0;
  /** The token may be what the server refuses: the next connection asks `getToken` for a new one (reason `retry`). */
  private tokenDoubted = false;
  private serverPingInterval = 30_000;
  private connectWaiters: Array<{ resolve: () => void; reject: (error: RealtimeError) => void }> = [];
  private inbox: SeqOrder<Message> | undefined;
  private inboxRecovering = false;
  private inboxAgain = false;
  private inboxFailures = 0;
  private sendsPausedUntil = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private deadTimer: ReturnType<typeof setTimeout> | undefined;
  private pumpTimer: ReturnType<typeof setTimeout> | undefined;
  private inboxTimer: ReturnType<typeof setTimeout> | undefined;
  /** Frames that wait for the rate limit, oldest first. */
  private outgoing: string[] = [];
  private rate: RateBucket;
  private rateTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ClientOptions) {
    super();
    const WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WebSocketClass) {
      throw new RealtimeError('bad_options', 'no WebSocket: pass one (e.g. from the `ws` package) as `WebSocket`');
    }
    if (typeof options.url !== 'string' || typeof options.getToken !== 'function') {
      throw new RealtimeError('bad_options', '`url` and `getToken` are required');
    }
    this.WebSocketClass = WebSocketClass;
    this.settings = {
      url: options.url,
      getToken: options.getToken,
      backoff: { ...DEFAULT_BACKOFF, ...options.reconnect },
      maxAttempts: options.reconnect?.maxAttempts ?? Infinity,
      sendTimeout: options.sendTimeout ?? 60_000,
      requestTimeout: options.requestTimeout ?? 30_000,
      maxPendingSends: options.maxPendingSends ?? 1000,
      sendWindow: Math.max(1, options.sendWindow ?? 16),
      refreshBefore: options.refreshBefore ?? 60_000,
      pingInterval: options.pingInterval,
      pongTimeout: options.pongTimeout ?? 10_000,
      gapTimeout: options.gapTimeout ?? 1000,
      typingInterval: options.typingInterval ?? 2000,
      maxFrameBytes: options.maxFrameBytes ?? 1_048_576,
      inboxSince: options.inboxSince,
      rateBurst: Math.max(1, options.rateLimit?.burst ?? 100),
      ratePerSecond: Math.max(1, options.rateLimit?.perSecond ?? 50),
    };
    this.rate = new RateBucket(this.settings.rateBurst, this.settings.ratePerSecond, Date.now());
    const client = this;
    this.host = {
      get userId() {
        return client.userId;
      },
      get connected() {
        return client.welcomed;
      },
      gapTimeout: this.settings.gapTimeout,
      typingInterval: this.settings.typingInterval,
      counters: this.counters,
      request: (frame, key, kind) => this.request(frame, key, kind),
      send: (frame, id) => this.sendFrame(frame, id),
      fire: (frame) => this.fire(frame),
      forget: (room) => {
        if (this.roomsById.get(room.id) === room) {
          this.roomsById.delete(room.id);
        }
      },
      retryDelay: (attempt) => backoffDelay(attempt, this.settings.backoff),
    };
  }

  /** The connection's state. */
  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The last inbox seq delivered; keep it (e.g. in sessionStorage) and pass it as `inboxSince` after a reload. */
  get inboxSeq(): number | undefined {
    return this.inbox?.last;
  }

  /** What the client did so far. */
  get stats(): ClientStats {
    return { ...this.counters };
  }

  /**
   * Connects; resolves once the server welcomed the connection. While the server cannot be reached it keeps
   * trying (state `reconnecting`); it rejects only when the server refuses for good (an unauthorized token) or
   * `disconnect()` is called.
   */
  connect(): Promise<void> {
    if (this.stateValue === 'connected') {
      return Promise.resolve();
    }
    const connected = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (this.stopped) {
      this.stopped = false;
      this.attempt = 0;
      this.refusedInARow = 0;
      void this.open();
    }
    return connected;
  }

  /** Closes the connection and stops reconnecting; waiting sends and requests are rejected with `disconnected`. */
  disconnect(): void {
    this.stop(new RealtimeError('disconnected', 'disconnect() was called / 已断开连接'), undefined);
  }

  /** The room `id` (the same object for the same id until it is left). Call `join()` on it to receive its messages. */
  room(id: string): Room {
    let room = this.roomsById.get(id);
    if (!room) {
      room = new Room(this.host, id);
      this.roomsById.set(id, room);
    }
    return room;
  }

  /** Sends a direct message; resolves once the server stored it in the recipient's inbox. */
  sendTo(userId: string, data: unknown, options: { id?: string } = {}): Promise<SendAck> {
    return this.sendFrame({ type: 'send', to: userId, data }, options.id);
  }

  /** Your conversations (the rooms you are a member of) with unread counts and last messages, latest activity first. */
  async rooms(): Promise<RoomSummary[]> {
    const frame = await this.request({ type: 'rooms' }, 'rooms', 'request');
    return (frame.rooms ?? []).map((entry: any) => {
      const summary: RoomSummary = { room: entry.room, seq: entry.seq, unread: entry.unread, read: entry.read };
      if (entry.lastMessage) {
        summary.lastMessage = entry.lastMessage.truncated ? { ...toMessage(entry.lastMessage), truncated: true } : toMessage(entry.lastMessage);
      }
      return summary;
    });
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    this.welcomed = false;
    if (!this.everConnected) {
      this.setState('connecting', {});
    }
    let token: string;
    try {
      token = await this.currentToken();
    } catch (error) {
      if (generation === this.generation && !this.stopped) {
        this.emit('error', error instanceof RealtimeError ? error : new RealtimeError('token', `getToken failed: ${String(error)}`));
        this.retryLater(undefined);
      }
      return;
    }
    if (generation !== this.generation || this.stopped) {
      return;
    }
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketClass(withToken(this.settings.url, token));
    } catch (error) {
      this.stop(new RealtimeError('bad_options', `the WebSocket could not be created: ${String(error)}`), undefined);
      return;
    }
    this.socket = socket;
    let refusedWith: number | undefined;
    socket.onmessage = (event) => {
      if (generation === this.generation) {
        this.onFrame(typeof event.data === 'string' ? event.data : String(event.data));
      }
    };
    socket.onerror = (event) => {
      if (generation === this.generation) {
        refusedWith ??= handshakeStatusOf(event);
      }
    };
    socket.onclose = (event) => {
      if (generation === this.generation) {
        this.onClosed(Number(event.code ?? 1006), refusedWith);
      }
    };
    // `welcome` must come within pongTimeout, or the attempt counts as failed.
    this.deadTimer = setTimeout(() => this.onClosed(1006, undefined), this.settings.pongTimeout);
  }

  private async currentToken(): Promise<string> {
    if (this.token && this.tokenReason === 'connect' && !this.tokenDoubted && this.tokenExp !== undefined
      && this.tokenExp - Date.now() > TOKEN_MARGIN_MS) {
      return this.token;
    }
    const token = await this.settings.getToken({ reason: this.tokenReason === 'connect' && this.tokenDoubted ? 'retry' : this.tokenReason });
    if (typeof token !== 'string' || token.length === 0) {
      throw new RealtimeError('token', 'getToken gave no token');
    }
    this.token = token;
    this.tokenExp = tokenExpiry(token);
    this.tokenReason = 'connect';
    this.tokenDoubted = false;
    return token;
  }

  private onFrame(text: string): void {
    let frame: any;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    this.alive();
    const room = typeof frame.room === 'string' ? this.roomsById.get(frame.room) : undefined;
    switch (frame.type) {
      case 'welcome':
        this.onWelcome(frame);
        break;
      case 'message':
        if (frame.room === undefined) {
          this.onDirect(toMessage(frame));
        } else {
          room?.onLive(toMessage(frame));
        }
        break;
      case 'ack':
        this.onAck(frame);
        break;
      case 'error':
        this.onError(frame);
        break;
      case 'receipt':
        if (!(frame.id !== undefined && this.answer(this.requests.takeById(frame.id), frame))) {
          room?.onReceipt(frame);
        }
        break;
      case 'left':
        if (!this.answer(this.requests.takeByKey(`left:${frame.room}`), frame)) {
          room?.onRevoked();
        }
        break;
      case 'joined':
      case 'history':
      case 'presence':
        this.answer(this.requests.takeByKey(`${frame.type}:${frame.room}`), frame);
        break;
      case 'inbox':
      case 'rooms':
      case 'refreshed':
      case 'pong':
        this.answer(this.requests.takeByKey(frame.type), frame);
        break;
      case 'event':
        room?.onEvent(frame);
        break;
      case 'typing':
        room?.onTyping(frame);
        break;
      case 'broadcast':
        this.emit('broadcast', { data: frame.data, ts: frame.ts });
        break;
      case 'resync':
        if (frame.inbox === true) {
          void this.recoverInbox();
        } else {
          room?.recover();
        }
        break;
      default:
        break;
    }
  }

  private onWelcome(frame: any): void {
    this.welcomed = true;
    // The server counts each connection's frames from a full bucket.
    this.rate = new RateBucket(this.settings.rateBurst, this.settings.ratePerSecond, Date.now());
    this.userId = frame.userId;
    this.connectionId = frame.connectionId;
    if (typeof frame.pingInterval === 'number' && frame.pingInterval > 0) {
      this.serverPingInterval = frame.pingInterval;
    }
    if (this.everConnected) {
      this.counters.reconnects++;
    }
    this.everConnected = true;
    this.attempt = 0;
    this.refusedInARow = 0;
    this.silentFailures = 0;
    this.setState('connected', {});
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    waiters.forEach((w) => w.resolve());
    this.scheduleRefresh();
    this.alive();

    // Recovery first (the server answers in order, so missed messages come before anything sent now), then whatever waited.
    const inboxSeq = typeof frame.inboxSeq === 'number' ? frame.inboxSeq : 0;
    if (this.inbox === undefined) {
      // A page's inboxSince beyond the server's seq (its inbox was reset) would drop new messages as duplicates.
      this.inbox = new SeqOrder<Message>(Math.min(this.settings.inboxSince ?? inboxSeq, inboxSeq), this.counters);
    } else if (inboxSeq < this.inbox.last) {
      // The server's inbox is behind what was delivered: its state was lost and its seqs start again after inboxSeq.
      this.inbox = new SeqOrder<Message>(inboxSeq, this.counters);
      this.emit('reset', { inbox: true, seq: inboxSeq });
    }
    if (inboxSeq > this.inbox.last) {
      void this.recoverInbox();
    }
    for (const room of this.roomsById.values()) {
      room.recover();
    }
    this.pump();
  }

  private onDirect(message: Message): void {
    if (message.to !== undefined && message.to !== this.userId) {
      // A copy of a message this user sent from another connection: it lives in the recipient's inbox, not in ours.
      this.emit('direct', message);
      return;
    }
    if (this.inbox === undefined) {
      return;
    }
    this.deliverDirect(this.inbox.accept(message));
    if (this.inbox.hasGap && this.inboxTimer === undefined) {
      this.inboxTimer = setTimeout(() => {
        this.inboxTimer = undefined;
        if (this.inbox?.hasGap) {
          void this.recoverInbox();
        }
      }, this.settings.gapTimeout);
    }
  }

  private deliverDirect(messages: Message[]): void {
    for (const message of messages) {
      this.emit('direct', message);
    }
  }

  /** Reads the inbox from the last delivered seq, page by page, until the server has nothing more. */
  private async recoverInbox(): Promise<void> {
    if (!this.welcomed || this.inbox === undefined) {
      return;
    }
    if (this.inboxRecovering) {
      this.inboxAgain = true;
      return;
    }
    this.inboxRecovering = true;
    try {
      do {
        this.inboxAgain = false;
        let more = true;
        while (more && this.inbox) {
          const since = this.inbox.last;
          const frame = await this.request({ type: 'inbox', since, limit: INBOX_PAGE }, 'inbox', 'internal');
          const messages: Message[] = (frame.messages ?? []).map(toMessage);
          const first = messages[0];
          if (first !== undefined && first.seq > since + 1) {
            this.counters.gaps++;
            this.emit('gap', { inbox: true, from: since + 1, to: first.seq - 1 });
            this.deliverDirect(this.inbox.skipTo(first.seq - 1));
          }
          for (const message of messages) {
            this.deliverDirect(this.inbox.accept(message));
          }
          more = messages.length > 0 && (frame.more === true || messages.length >= INBOX_PAGE);
        }
      } while (this.inboxAgain);
      this.inboxFailures = 0;
    } catch (error) {
      const code = error instanceof RealtimeError ? error.code : 'internal';
      if (code !== 'disconnected' && this.welcomed) {
        clearTimeout(this.inboxTimer);
        this.inboxTimer = setTimeout(() => {
          this.inboxTimer = undefined;
          void this.recoverInbox();
        }, backoffDelay(this.inboxFailures++, this.settings.backoff));
      }
    } finally {
      this.inboxRecovering = false;
    }
  }

  private onAck(frame: any): void {
    const pending = this.requests.takeById(frame.id);
    if (!pending) {
      return;
    }
    // A settled send still on the wire timed out: its promise was rejected (resolving it changes nothing), but the
    // message was stored, and this socket gets it only here: the server pushes it to the sender's other sockets.
    this.requests.finish(pending);
    if (pending.room !== undefined && this.userId !== undefined) {
      const sent = JSON.parse(pending.text);
      this.roomsById.get(pending.room)?.onOwnMessage({
        room: pending.room, seq: frame.seq, from: this.userId, id: pending.id, data: sent.data, ts: new Date().toISOString(),
      });
    }
    pending.resolve({ id: pending.id, seq: frame.seq, duplicate: frame.duplicate === true });
    this.pump();
  }

  private onError(frame: any): void {
    const error = new RealtimeError(String(frame.code ?? 'internal'), String(frame.message ?? ''));
    const pending = this.requests.takeById(frame.id);
    if (!pending) {
      this.emit('error', error);
      return;
    }
    if (pending.settled) {
      return;
    }
    if (RETRYABLE_CODES.has(error.code) && pending.kind !== 'internal') {
      const delay = backoffDelay(pending.refusals, this.settings.backoff);
      this.requests.retryLater(pending, delay);
      if (pending.kind === 'send') {
        // Later sends wait too, so that they keep their order behind the refused one.
        this.sendsPausedUntil = Math.max(this.sendsPausedUntil, Date.now() + delay);
      }
      this.pump();
      return;
    }
    this.requests.finish(pending);
    pending.reject(error);
    this.pump();
  }

  /** Settles a request with its answer; false when there was none (the frame was not an answer). */
  private answer(pending: Pending | undefined, frame: any): boolean {
    if (!pending) {
      return false;
    }
    if (!pending.settled) {
      this.requests.finish(pending);
      pending.resolve(frame);
    }
    return true;
  }

  private sendFrame(frame: Record<string, unknown>, id: string | undefined): Promise<SendAck> {
    if (this.requests.pendingSends >= this.settings.maxPendingSends) {
      return Promise.reject(new RealtimeError('queue_full', `${this.settings.maxPendingSends} sends are already waiting for their ack / 待发送消息过多`));
    }
    return this.request({ ...frame, id: id ?? this.makeId('m') }, null, 'send');
  }

  /**
   * Queues a frame that the server answers. Sends and the page's requests wait while disconnected and are written
   * again after a reconnect; the client's own requests (joins for recovery, inbox pages, pings) fail with
   * `disconnected` when the connection ends.
   */
  private request(frame: Record<string, unknown>, key: string | null, kind: RequestKind): Promise<any> {
    const id = typeof frame.id === 'string' ? frame.id : this.makeId('q');
    const text = JSON.stringify({ ...frame, id });
    if (byteLength(text) > this.settings.maxFrameBytes) {
      return Promise.reject(new RealtimeError('too_large', `the frame is larger than ${this.settings.maxFrameBytes} bytes / 消息过大`));
    }
    if (kind === 'internal' && !this.welcomed) {
      return Promise.reject(new RealtimeError('disconnected', 'not connected / 未连接'));
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        id, kind, text, key, resolve, reject, settled: false, sentOn: 0, writes: 0, notBefore: 0, refusals: 0,
        ...(kind === 'send' && typeof frame.room === 'string' ? { room: frame.room } : {}),
      };
      const timeout = kind === 'send' ? this.settings.sendTimeout : this.settings.requestTimeout;
      pending.timer = setTimeout(() => {
        if (!pending.settled) {
          this.requests.finish(pending);
          reject(new RealtimeError('timeout', `no answer within ${timeout} ms / 请求超时`));
          this.pump();
        }
      }, Math.min(timeout, MAX_TIMER_MS));
      this.requests.add(pending);
      if (kind === 'internal') {
        this.write(pending);
      } else {
        this.pump();
      }
    });
  }

  /** Writes a frame nobody answers (typing) when connected; dropped otherwise. */
  private fire(frame: Record<string, unknown>): void {
    if (this.welcomed && this.socket) {
      this.transmit(JSON.stringify({ ...frame, id: this.makeId('t') }));
    }
  }

  /** Writes the waiting requests that are due, in order; sends within the window and not paused. */
  private pump(): void {
    clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    if (!this.welcomed || !this.socket) {
      return;
    }
    const now = Date.now();
    let sendsOnWire = this.requests.sendsOnWire;
    let sendsBlocked = now < this.sendsPausedUntil;
    let wakeAt = sendsBlocked ? this.sendsPausedUntil : Infinity;
    for (const pending of [...this.requests.queued()]) {
      if (pending.sentOn === this.generation) {
        continue;
      }
      if (pending.notBefore > now) {
        wakeAt = Math.min(wakeAt, pending.notBefore);
        sendsBlocked ||= pending.kind === 'send';
        continue;
      }
      if (pending.kind === 'send') {
        if (sendsBlocked || sendsOnWire >= this.settings.sendWindow) {
          sendsBlocked = true;
          continue;
        }
        sendsOnWire++;
      }
      this.write(pending);
    }
    if (wakeAt !== Infinity) {
      this.pumpTimer = setTimeout(() => this.pump(), Math.max(0, wakeAt - now));
    }
  }

  private write(pending: Pending): void {
    if (!this.socket || !this.welcomed) {
      return;
    }
    if (pending.writes > 0) {
      this.counters.resent++;
    }
    this.requests.written(pending, this.generation);
    this.transmit(pending.text);
  }

  /** Writes a frame to the socket, or queues it (in order) until the rate limit lets it go. */
  private transmit(text: string): void {
    this.outgoing.push(text);
    if (this.rateTimer === undefined) {
      this.flushOutgoing();
    }
  }

  private flushOutgoing(): void {
    this.rateTimer = undefined;
    const socket = this.socket;
    if (!socket) {
      return;
    }
    let now = Date.now();
    while (this.outgoing.length > 0 && this.rate.take(now)) {
      try {
        socket.send(this.outgoing.shift()!);
      } catch {
        // The socket is closing: onclose puts unanswered frames back for the next connection.
      }
      now = Date.now();
    }
    if (this.outgoing.length > 0) {
      this.rateTimer = setTimeout(() => this.flushOutgoing(), this.rate.wait(now));
    }
  }

  private onClosed(code: number, refusedWith: number | undefined): void {
    const wasWelcomed = this.welcomed;
    const culprit = this.requests.largestOnWire();
    this.dropSocket();
    if (this.stopped) {
      return;
    }
    if (!wasWelcomed && refusedWith !== undefined) {
      this.onRefused(refusedWith);
      return;
    }
    if (!wasWelcomed) {
      // Browsers report a refused upgrade (401) like an unreachable server. After the 2nd, 4th, 8th... such failure in
      // a row the token is doubted: a server restarted with another secret refuses it until a new one is fetched.
      this.silentFailures++;
      this.tokenDoubted ||= this.silentFailures >= 2 && (this.silentFailures & (this.silentFailures - 1)) === 0;
    }
    switch (code) {
      case 1008:
        // The rate limit was broken (the server's WS_RATE_* are below rateLimit): back off as far as the back-off
        // goes before reconnecting (docs/protocol.md), rather than at once into the same close.
        this.reconnectSoon(backoffDelay(Infinity, this.settings.backoff), code);
        return;
      case 4001:
        this.tokenReason = 'expired';
        if (wasWelcomed) {
          this.reconnectSoon(0, code);
        } else {
          // Closed before `welcome`: the token was expired when it arrived (within the server's clock skew). A token
          // source that keeps giving such tokens (a cache, a clock behind) is asked again with back-off, not in a loop.
          this.retryLater(code);
        }
        return;
      case 1009:
        // The server closed while reading a frame over its limit: the largest unanswered one is, so it is not sent again.
        if (culprit && !culprit.settled) {
          this.requests.finish(culprit);
          culprit.reject(new RealtimeError('too_large', 'the server refused the frame as too large (1009) / 消息过大'));
        }
        this.retryLater(code);
        return;
      default:
        this.retryLater(code);
    }
  }

  /** The upgrade was refused with an HTTP status (seen only where the WebSocket implementation reports it, e.g. `ws`). */
  private onRefused(status: number): void {
    if (status === 401 && this.refusedInARow++ === 0) {
      this.tokenReason = 'unauthorized';
      this.reconnectSoon(0, undefined);
      return;
    }
    if (status === 401 || status === 403) {
      this.stop(new RealtimeError(status === 401 ? 'unauthorized' : 'forbidden',
        `the server refused the connection (${status}) / 服务器拒绝连接 (${status})`), undefined);
      return;
    }
    this.retryLater(undefined);
  }

  private retryLater(code: number | undefined): void {
    const attempt = ++this.attempt;
    if (attempt > this.settings.maxAttempts) {
      this.stop(new RealtimeError('gave_up', `no connection after ${attempt - 1} attempts / 多次重连失败`), code);
      return;
    }
    this.reconnectSoon(backoffDelay(attempt - 1, this.settings.backoff), code);
  }

  private reconnectSoon(delay: number, code: number | undefined): void {
    const detail: StateDetail = { attempt: Math.max(1, this.attempt), delay, nextAttemptAt: Date.now() + delay };
    if (code !== undefined) {
      detail.code = code;
    }
    this.setState(this.everConnected ? 'reconnecting' : 'connecting', detail);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.open(), delay);
  }

  /** Forgets the socket (its late events are ignored) and what was on its wire. */
  private dropSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.welcomed = false;
    this.generation++;
    for (const timer of [this.refreshTimer, this.idleTimer, this.deadTimer, this.pumpTimer, this.inboxTimer, this.rateTimer]) {
      clearTimeout(timer);
    }
    this.refreshTimer = this.idleTimer = this.deadTimer = this.pumpTimer = this.inboxTimer = this.rateTimer = undefined;
    this.outgoing = [];
    for (const pending of this.requests.connectionLost()) {
      this.requests.finish(pending);
      pending.reject(new RealtimeError('disconnected', 'the connection was lost / 连接已断开'));
    }
    if (socket) {
      // A no-op rather than null: `ws` throws an 'error' event that has no listener.
      socket.onmessage = socket.onclose = null;
      socket.onerror = () => undefined;
      try {
        socket.close(1000, 'bye');
      } catch {
        // Already closed.
      }
    }
  }

  private stop(error: RealtimeError, code: number | undefined): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.dropSocket();
    for (const pending of this.requests.drain()) {
      this.requests.finish(pending);
      pending.reject(error);
    }
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    waiters.forEach((w) => w.reject(error));
    for (const room of this.roomsById.values()) {
      room.onClientStopped(error);
    }
    this.setState('disconnected', code === undefined ? { error } : { error, code });
  }

  /** Any frame shows the connection is alive. After `pingInterval` of silence the client pings; no answer within `pongTimeout` ends the connection. */
  private alive(): void {
    clearTimeout(this.deadTimer);
    clearTimeout(this.idleTimer);
    this.deadTimer = undefined;
    const interval = this.settings.pingInterval ?? this.serverPingInterval;
    this.idleTimer = setTimeout(() => {
      this.request({ type: 'ping' }, 'pong', 'internal').catch(() => undefined);
      this.deadTimer = setTimeout(() => this.onClosed(1006, undefined), this.settings.pongTimeout);
    }, interval);
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    if (this.tokenExp === undefined) {
      return;
    }
    const remaining = this.tokenExp - Date.now();
    const lead = Math.min(this.settings.refreshBefore, remaining / 2);
    this.refreshTimer = setTimeout(() => void this.refresh(), Math.min(MAX_TIMER_MS, Math.max(0, remaining - lead)));
  }

  /** Sends a fresh token with `refresh` before the current one expires; a refused one stops the client. */
  private async refresh(): Promise<void> {
    const generation = this.generation;
    try {
      const token = await this.settings.getToken({ reason: 'refresh' });
      if (generation !== this.generation || !this.welcomed) {
        return; // a new connection was opened meanwhile, with its own token
      }
      const frame = await this.request({ type: 'refresh', token }, 'refreshed', 'internal');
      this.token = token;
      this.tokenExp = typeof frame.exp === 'number' ? frame.exp * 1000 : tokenExpiry(token);
      this.scheduleRefresh();
    } catch (error) {
      const code = error instanceof RealtimeError ? error.code : 'token';
      if (code === 'unauthorized' || code === 'forbidden') {
        this.stop(new RealtimeError(code, `the server refused the refreshed token: ${(error as Error).message}`), undefined);
      } else if (generation === this.generation && this.welcomed) {
        // getToken failed or the cluster was busy: try again soon; 4001 and a reconnect remain if it never works.
        this.refreshTimer = setTimeout(() => void this.refresh(), Math.min(5000, Math.max(1000, ((this.tokenExp ?? 0) - Date.now()) / 4)));
      }
    }
  }

  private setState(state: ConnectionState, detail: StateDetail): void {
    if (state === this.stateValue && Object.keys(detail).length === 0) {
      return;
    }
    this.stateValue = state;
    this.emit('state', state, detail);
  }

  private makeId(kind: string): string {
    return `${this.idPrefix}-${kind}${++this.nextId}`;
  }
}

/** A random prefix for message ids: ids must be unique per user across devices and page loads. */
function randomId(): string {
  const bytes = new Uint8Array(9);
  const crypto = (globalThis as { crypto?: { getRandomValues(array: Uint8Array): Uint8Array } }).crypto;
  if (crypto) {
    crypto.getRandomValues(bytes);
  } else {
    bytes.forEach((_, i) => (bytes[i] = Math.floor(Math.random() * 256)));
  }
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}
