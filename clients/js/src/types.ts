import type { BackoffOptions } from './backoff.js';
import type { RealtimeError } from './errors.js';

/** The connection's state, as the `state` event reports it. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** What comes with a `state` event. */
export interface StateDetail {
  /** `reconnecting`: the number of the attempt being waited for (1 for the first retry). */
  attempt?: number;
  /** `reconnecting`: ms until that attempt. */
  delay?: number;
  /** `reconnecting`: when that attempt starts (ms since the epoch). */
  nextAttemptAt?: number;
  /** `reconnecting` / `disconnected`: the close code of the connection that ended, when there was one. */
  code?: number;
  /** `disconnected` after a refusal (`unauthorized`, `forbidden`, `gave_up`, ...), or `disconnect()` (`disconnected`). */
  error?: RealtimeError;
}

/** A room message or a direct message, as the server stored it. */
export interface Message {
  /** The room; absent for direct messages. */
  room?: string;
  /** The room's seq, or for a direct message the recipient's inbox seq. */
  seq: number;
  from: string;
  /** Direct messages: the recipient (your own user id, or someone else's on a copy of a message you sent elsewhere). */
  to?: string;
  /** The sender's message id. */
  id?: string;
  data: unknown;
  /** ISO time the server accepted it (for your own room messages delivered on their ack: the local time of the ack). */
  ts: string;
}

/** A room member and whether it has a connection open anywhere. */
export interface Member {
  userId: string;
  online: boolean;
}

/** How far a member has read a room. */
export interface Reader {
  userId: string;
  seq: number;
}

/** What `room.join()` resolves with, and the `joined` event after every (re)join. */
export interface JoinInfo {
  room: string;
  /** The room's latest seq when it was joined. */
  seq: number;
  members: Member[];
  /** Messages after your read cursor that others sent. */
  unread: number;
  /** The cursors of the members who have read something. */
  readers: Reader[];
  /** False when messages after the last seen one were no longer kept (a `gap` event names them). */
  recovered: boolean;
}

/** One of your conversations, from `client.rooms()`. */
export interface RoomSummary {
  room: string;
  seq: number;
  unread: number;
  /** Your read cursor. */
  read: number;
  /** The latest message; its `data` is null with `truncated: true` when it was too long to list. */
  lastMessage?: Message & { truncated?: boolean };
}

/** A send's acknowledgement. */
export interface SendAck {
  /** The message id (yours, or the one the client made up). */
  id: string;
  /** The room seq, or the recipient's inbox seq. */
  seq: number;
  /** True when the server had already stored this id (a re-send): it was delivered once. */
  duplicate: boolean;
}

/** A page of a room's history, oldest first. */
export interface HistoryPage {
  messages: Message[];
  /** True when the server cut the page short (a byte budget): ask again from the last seq. */
  more: boolean;
}

export interface TypingEvent {
  room: string;
  userId: string;
}

export interface ReceiptEvent {
  room: string;
  userId: string;
  /** The member has read everything up to this seq. */
  seq: number;
}

export interface PresenceEvent {
  room: string;
  userId: string;
  event: 'user_joined' | 'user_left' | 'user_online' | 'user_offline';
}

/** Seqs that could not be recovered (the server no longer kept them); later ones were delivered. */
export interface GapEvent {
  room?: string;
  /** Set for the inbox of direct messages. */
  inbox?: boolean;
  from: number;
  to: number;
}

export interface Broadcast {
  data: unknown;
  ts: string;
}

/** Why `getToken` is called. */
export interface TokenRequest {
  /**
   * `connect`: a connection is opened; `refresh`: the token expires soon; `expired`: the server closed with 4001;
   * `unauthorized`: the server refused the last one; `retry`: connections failed before `welcome` twice (then 4, 8, ...
   * times) in a row without an HTTP status, as browsers report every refused upgrade, so the token may be refused
   * (the server restarted with another secret).
   */
  reason: 'connect' | 'refresh' | 'expired' | 'unauthorized' | 'retry';
}

/**
 * The part of the WebSocket API the client uses: the browser's `WebSocket`, or `WebSocket` from the `ws` package
 * in Node.js. Handlers take `any` so that both fit without adapters.
 */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Options of {@link WeDrawOSClient}. */
export interface ClientOptions {
  /** The socket endpoint, e.g. `wss://chat.example.com/ws`. */
  url: string;
  /** Returns a JWT for the user. Called when a connection opens without a still-valid token, and before it expires. */
  getToken: (request: TokenRequest) => Promise<string> | string;
  /** The WebSocket class; defaults to the global one (browsers, Node ≥ 22). In Node 20 pass `WebSocket` from `ws`. */
  WebSocket?: WebSocketConstructor;
  /** Reconnect back-off (defaults: 500 ms doubling up to 20 s, jitter 0.5) and `maxAttempts` (default: unlimited). */
  reconnect?: Partial<BackoffOptions> & { maxAttempts?: number };
  /** ms a send waits for its ack, across reconnects, before it is rejected with `timeout` (default 60,000). */
  sendTimeout?: number;
  /** ms other requests (history, presence, rooms, markRead, leave) wait for their answer (default 30,000). */
  requestTimeout?: number;
  /** Sends waiting for their ack at once, connected or not; more are rejected with `queue_full` (default 1,000). */
  maxPendingSends?: number;
  /** Sends written to the socket before their acks come (default 16); the rest wait, in order. */
  sendWindow?: number;
  /** ms before the token's `exp` at which it is refreshed (default 60,000; at most half its remaining life). */
  refreshBefore?: number;
  /** ms of silence after which the client pings the server (default: the server's ping interval from `welcome`). */
  pingInterval?: number;
  /** ms to wait for any frame after a ping, or for `welcome` after opening, before the connection counts as dead (default 10,000). */
  pongTimeout?: number;
  /** ms a message waits behind a missing seq before the room (or inbox) is recovered from the server (default 1,000). */
  gapTimeout?: number;
  /** Shortest ms between two typing notices `room.typing()` sends (default 2,000). */
  typingInterval?: number;
  /** Largest frame the client sends, in bytes; larger sends are rejected with `too_large` (default 1,048,576, the server's default). */
  maxFrameBytes?: number;
  /** The last inbox seq this user has seen (kept by the page); direct messages after it are delivered on connect. */
  inboxSince?: number;
  /**
   * The server's frame rate limit per connection (`WS_RATE_BURST`, `WS_RATE_PER_SECOND`; defaults 100 and 50): the
   * client writes no faster, and frames beyond it wait in order.
   */
  rateLimit?: { burst?: number; perSecond?: number };
}

/** Events of the client. */
export type ClientEvents = {
  state: (state: ConnectionState, detail: StateDetail) => void;
  /** A direct message, live or recovered from the inbox: each inbox seq once, in order. Copies of your own sent messages (from other devices) carry `to`. */
  direct: (message: Message) => void;
  broadcast: (broadcast: Broadcast) => void;
  /** Direct messages that could not be recovered. */
  gap: (gap: GapEvent) => void;
  /**
   * A reconnect found the server's inbox behind the last inbox seq delivered (its state was lost, e.g. an embedded
   * front restarted): its seqs start again after `seq`, so direct messages the page shows no longer match them.
   */
  reset: (event: { inbox: true; seq: number }) => void;
  /** An error frame that answers nothing the page asked (e.g. a refused typing notice). */
  error: (error: RealtimeError) => void;
};

/** Events of a room. */
export type RoomEvents = {
  /** Each seq once, in order, after rejoins too; your own messages come on their ack. */
  message: (message: Message) => void;
  typing: (event: TypingEvent) => void;
  receipt: (event: ReceiptEvent) => void;
  presence: (event: PresenceEvent) => void;
  /** After each (re)join. */
  joined: (info: JoinInfo) => void;
  /** Seqs the server no longer had when the room was recovered (`recovered: false`). */
  gap: (gap: GapEvent) => void;
  /** The unread count changed. */
  unread: (count: number) => void;
  /** The room was left: by `leave()`, or by the server (`revoked: true`, e.g. removed from the member list). */
  left: (event: { room: string; revoked: boolean }) => void;
  /** A (re)join was refused (e.g. `forbidden`, `too_many_rooms`): the room is no longer joined. */
  error: (error: RealtimeError) => void;
  /**
   * A rejoin found the server's room behind the last seq delivered (its state was lost, e.g. an embedded front
   * restarted): its seqs start again after `seq`, so what the page shows of the room no longer matches them.
   */
  reset: (event: { room: string; seq: number }) => void;
};
