/**
 * Browser notifications and the short beep. Both are opt-in: the user presses "Enable
 * notifications" (a user gesture, which browsers require for the permission prompt and to start
 * audio); the choice is remembered in localStorage.
 */
import { createSignal } from 'solid-js';
import { createPersisted } from '../state/persisted';

const optInPref = createPersisted('ponte.notify');
type Perm = NotificationPermission | 'unsupported';

const supported = typeof Notification !== 'undefined';
const [permission, setPermission] = createSignal<Perm>(supported ? Notification.permission : 'unsupported');
const [optedIn, setOptedIn] = createSignal(optInPref.read() === '1');
export { permission };

export const notificationsOn = () => optedIn() && permission() === 'granted';

let audio: AudioContext | null = null;
function audioContext(): AudioContext | null {
  if (!audio) {
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return null;
    audio = new Ctor();
  }
  return audio;
}

// Audio contexts start suspended until a gesture; resume on the first interaction of each page load.
addEventListener(
  'pointerdown',
  () => {
    if (optedIn()) void audioContext()?.resume();
  },
  { once: true, capture: true },
);

export async function enableNotifications(): Promise<void> {
  void audioContext()?.resume();
  if (!supported) return;
  const p = await Notification.requestPermission();
  setPermission(p);
  const on = p === 'granted';
  setOptedIn(on);
  optInPref.write(on ? '1' : '0');
  if (on) beep();
}

export function beep() {
  const ctx = audioContext();
  if (!ctx || ctx.state !== 'running') return;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'sine';
  osc.frequency.value = 880;
  const t0 = ctx.currentTime;
  gain.gain.setValueAtTime(0.0001, t0);
  gain.gain.exponentialRampToValueAtTime(0.2, t0 + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.25);
  osc.connect(gain).connect(ctx.destination);
  osc.start(t0);
  osc.stop(t0 + 0.3);
}

/** Shows a system notification (when enabled) and beeps; clicking it focuses the tab and runs onClick. */
export function notify(title: string, body: string, tag: string, onClick: () => void) {
  if (!notificationsOn()) return;
  beep();
  try {
    const n = new Notification(title, { body: body.slice(0, 140), tag });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    /* some platforms only allow notifications from a service worker; the beep still played */
  }
}
