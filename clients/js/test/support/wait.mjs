/** Waits until `condition()` is true, polling; fails after `within` ms with `what` in the message. */
export async function until(condition, what, within = 30_000) {
  const deadline = Date.now() + within;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The next `event` of an emitter (client or room) whose arguments satisfy `matches`. */
export function next(emitter, event, matches = () => true, within = 30_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for '${event}'`));
    }, within);
    const off = emitter.on(event, (...args) => {
      if (matches(...args)) {
        clearTimeout(timer);
        off();
        resolve(args.length > 1 ? args : args[0]);
      }
    });
  });
}

/** Collects every `event` of an emitter into an array. */
export function collect(emitter, event) {
  const seen = [];
  emitter.on(event, (value) => seen.push(value));
  return seen;
}
