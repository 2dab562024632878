// @ts-check
/**
 * The customer's chat with support: one conversation, the room `<prefix><userId>` (by default `support-<userId>`),
 * which the server admits only that customer and staff to.
 */
import { Conversation } from '../assets/conversation.js';
import { byId } from '../assets/dom.js';
import { startPage } from '../assets/page.js';

const { session, client, view } = await startPage({
  defaultRole: 'customer',
  placeholder: '输入消息，Enter 发送 / Type a message, Enter sends',
});

// connect() rejects only when the server refuses for good; the connection state shows why.
const connected = client.connect().then(() => true, () => false);
// With a token URL the user is known once the server welcomed the connection.
const userId = session.userId ?? ((await connected) ? client.userId : undefined);
if (userId !== undefined) {
  const prefix = session.config.privateRoomPrefixes[0] ?? 'support-';
  const conversation = new Conversation(client, `${prefix}${userId}`, userId);
  const agents = byId('agents', HTMLElement);
  const showAgents = () => {
    const online = conversation.othersOnline;
    agents.dataset.online = String(online.length > 0);
    agents.textContent = online.length > 0
      ? `客服在线 / Support is online (${online.join(', ')})`
      : '客服暂时不在，留言后会尽快回复 / Support is away: leave a message and we will answer soon';
  };
  conversation.onChange((change) => {
    if (change.kind === 'members') {
      showAgents();
    }
  });
  session.openRoom = conversation.id;
  view.show(conversation);
  conversation.joined.then(showAgents, (error) => {
    agents.textContent = `无法进入对话 / Cannot open the conversation: ${error.message}`;
    view.show(null);
  });
}
