/** A tag's identity: "VIP", "vip " and "Vip" are one tag. */
export function tagKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
