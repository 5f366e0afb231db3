/**
 * The id of a Durable Object that exists once (the inbox feed, the outbox sweeper). `idFromName` hashes
 * the name on every call, and the inbox feed's was ~2% of a known client's webhook CPU in
 * tools/bench/profile.mjs; an id is a plain value, not an I/O object, so one per namespace is kept for
 * the isolate's life. Only for fixed names: a chat room's or a bot's would make the map grow without end.
 */
const ids = new WeakMap<object, Map<string, DurableObjectId>>();

export function singletonId(namespace: Pick<DurableObjectNamespace, 'idFromName'>, name: string): DurableObjectId {
  let byName = ids.get(namespace);
  if (!byName) ids.set(namespace, (byName = new Map()));
  let id = byName.get(name);
  if (!id) byName.set(name, (id = namespace.idFromName(name)));
  return id;
}
