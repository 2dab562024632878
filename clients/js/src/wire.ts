import type { Message } from './types.js';

/** A `message` frame (or an entry of `messages`) as a {@link Message}, without the frame's `type`. */
export function toMessage(frame: any): Message {
  const message: Message = { seq: frame.seq, from: frame.from, data: frame.data, ts: frame.ts };
  if (frame.room !== undefined) {
    message.room = frame.room;
  }
  if (frame.to !== undefined) {
    message.to = frame.to;
  }
  if (frame.id !== undefined) {
    message.id = frame.id;
  }
  return message;
}

/** The HTTP status of a refused WebSocket upgrade, when the WebSocket implementation tells it (`ws` in Node.js does; browsers do not). */
export function handshakeStatusOf(event: any): number | undefined {
  const text = String(event?.message ?? event?.error?.message ?? '');
  const match = /Unexpected server response: (\d{3})/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The socket URL with the token as `access_token` (browsers cannot set headers on a WebSocket). */
export function withToken(url: string, token: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`;
}

const encoder = new TextEncoder();

/** Byte length of a frame as UTF-8. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}
