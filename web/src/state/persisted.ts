/**
 * One remembered string per key, in localStorage (kept across visits) or sessionStorage (this tab only).
 * Reaching the storage can throw (blocked by site settings, private modes, a full quota); a preference
 * that cannot be kept is simply not remembered, so reads then answer null and writes do nothing.
 */
export interface Persisted {
  read(): string | null;
  write(value: string): void;
}

export function createPersisted(key: string, lifetime: 'visits' | 'tab' = 'visits'): Persisted {
  // Looked up on every use: merely touching `localStorage` is what throws when storage is blocked.
  const storage = () => (lifetime === 'tab' ? sessionStorage : localStorage);
  return {
    read() {
      try {
        return storage().getItem(key);
      } catch {
        return null;
      }
    },
    write(value) {
      try {
        storage().setItem(key, value);
      } catch {
        /* not remembered, as above */
      }
    },
  };
}
