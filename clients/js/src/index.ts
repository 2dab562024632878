export { WeDrawOSClient, type ClientStats } from './client.js';
export { Room, type RoomState } from './room.js';
export { RealtimeError } from './errors.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export type {
  Broadcast, ClientEvents, ClientOptions, ConnectionState, GapEvent, HistoryPage, JoinInfo, Member, Message, PresenceEvent,
  Reader, ReceiptEvent, RoomEvents, RoomSummary, SendAck, StateDetail, TokenRequest, TypingEvent, WebSocketConstructor,
  WebSocketLike,
} from './types.js';
