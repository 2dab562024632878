// @ts-check
import { ChatView } from './chat-view.js';
import { showConnectionState } from './connection-state.js';
import { byId, el } from './dom.js';
import { startSession } from './session.js';

/**
 * Starts the console or the chat page: the session (with the sign-in form in `#sign-in` when Development needs one),
 * the tab's one client, its connection state and, in Development, a button to sign in as someone else (both in
 * `#topbar-side`), and the chat view in `#chat`. Shows `#app` once there is a session.
 * @param {{ defaultRole: string, placeholder: string }} options the role the sign-in form offers first; the message box's placeholder
 */
export async function startPage({ defaultRole, placeholder }) {
  const session = await startSession({ defaultRole, container: byId('sign-in', HTMLElement) });
  const client = session.client();
  const connection = el('p', { class: 'connection', role: 'status' });
  const switchUser = el('button', { type: 'button', class: 'link', hidden: !session.development }, '切换用户 / Switch user');
  switchUser.addEventListener('click', () => session.switchUser());
  byId('topbar-side', HTMLElement).append(connection, switchUser);
  showConnectionState(client, connection);
  const view = new ChatView(byId('chat', HTMLElement), { placeholder });
  view.show(null);
  byId('app', HTMLElement).hidden = false;
  return { session, client, view };
}
