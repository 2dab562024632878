// @ts-check
import { el } from './dom.js';

/** @typedef {import('../lib/realtime/index.js').WeDrawOSClient} WeDrawOSClient */
/** @typedef {import('../lib/realtime/index.js').ConnectionState} ConnectionState */
/** @typedef {import('../lib/realtime/index.js').StateDetail} StateDetail */

/**
 * Shows the connection's state in `element` (a `role="status"` region, so changes are announced): connected;
 * connecting or reconnecting with the number of the next attempt and a countdown to it (the countdown itself is not
 * announced every second); offline with the reason and a button to connect again. `data-state` carries the state.
 * @param {WeDrawOSClient} client
 * @param {HTMLElement} element
 */
export function showConnectionState(client, element) {
  const label = el('span', { class: 'connection-label' });
  const countdown = el('span', { class: 'connection-countdown', 'aria-live': 'off' });
  const reconnect = el('button', { type: 'button', class: 'link', hidden: true }, '重新连接 / Reconnect');
  element.replaceChildren(label, countdown, reconnect);
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let ticker;
  let problem = '';

  reconnect.addEventListener('click', () => {
    client.connect().catch(() => undefined);
  });
  // Errors that answer nothing the page asked: a token that could not be fetched, mostly. Shown until connected.
  client.on('error', (error) => {
    problem = error.message;
  });

  /**
   * @param {ConnectionState} state
   * @param {StateDetail} detail
   */
  const show = (state, detail) => {
    clearInterval(ticker);
    element.dataset.state = state;
    countdown.textContent = '';
    reconnect.hidden = true;
    if (state === 'connected') {
      problem = '';
      label.textContent = '已连接 / Connected';
    } else if (state === 'disconnected') {
      label.textContent = `已离线 / Offline${detail.error ? `: ${detail.error.message}` : ''}`;
      reconnect.hidden = false;
    } else if (detail.attempt !== undefined && detail.nextAttemptAt !== undefined) {
      const next = detail.nextAttemptAt;
      const why = problem ? ` (${problem})` : '';
      label.textContent = state === 'reconnecting'
        ? `连接中断，第 ${detail.attempt} 次重连 / Reconnecting, attempt ${detail.attempt}${why}`
        : `连接中，第 ${detail.attempt} 次尝试 / Connecting, attempt ${detail.attempt}${why}`;
      const tick = () => {
        const seconds = Math.ceil((next - Date.now()) / 1000);
        countdown.textContent = seconds > 0 ? ` · ${seconds} 秒后 / in ${seconds} s` : ' …';
      };
      tick();
      ticker = setInterval(tick, 1000);
    } else {
      label.textContent = '连接中… / Connecting…';
    }
  };

  client.on('state', show);
  show(client.state === 'disconnected' ? 'connecting' : client.state, {});
}
