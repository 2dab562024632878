// @ts-check
/** Small DOM helpers shared by the pages. Text always goes in as text nodes, never as markup. */

/**
 * Creates an element with attributes and children; string children become text nodes.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | boolean | undefined>} [attributes] `true` sets an empty attribute, `false` and `undefined` none
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== false) {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child);
    }
  }
  return element;
}

/**
 * The element with `id`, checked to be of `type`.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
export function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) {
    throw new Error(`#${id} is missing or not a ${type.name}`);
  }
  return element;
}

/**
 * What a message says, as plain text: `data.text` (what the pages send), `data.content` (notices from other
 * services), a string as it is, nothing for none (a list entry's truncated message), anything else as JSON.
 * @param {unknown} data
 * @returns {string}
 */
export function messageText(data) {
  if (data === null || data === undefined) {
    return '';
  }
  if (typeof data === 'string') {
    return data;
  }
  if (data !== null && typeof data === 'object') {
    const { text, content } = /** @type {{ text?: unknown, content?: unknown }} */ (data);
    if (typeof text === 'string') {
      return text;
    }
    if (typeof content === 'string') {
      return content;
    }
  }
  return JSON.stringify(data) ?? '';
}

/**
 * A message time for a bubble: the time of day, with the date when it is not today.
 * @param {string} ts ISO time
 * @returns {string}
 */
export function shortTime(ts) {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  const time = date.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });
  return date.toDateString() === new Date().toDateString()
    ? time
    : `${date.toLocaleDateString('zh-CN', { month: 'numeric', day: 'numeric' })} ${time}`;
}

/**
 * The user a private conversation belongs to (`support-42` → `42`), by the server's `ROOM_PRIVATE_PREFIXES`
 * (the longest matching prefix counts); null for other rooms.
 * @param {string} roomId
 * @param {readonly string[]} prefixes
 * @returns {string | null}
 */
export function ownerOf(roomId, prefixes) {
  /** @type {string | null} */
  let owner = null;
  let longest = -1;
  for (const prefix of prefixes) {
    if (roomId.startsWith(prefix) && prefix.length > longest) {
      longest = prefix.length;
      owner = roomId.slice(prefix.length);
    }
  }
  return owner;
}
