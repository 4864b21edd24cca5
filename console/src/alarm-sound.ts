/** A short two-tone chime generated with WebAudio (no audio file), with a remembered mute switch. */
const MUTE_KEY = 'sirenwatch.muted';
const MIN_GAP_MS = 3_000;

let ctx: AudioContext | null = null;
let muted = localStorage.getItem(MUTE_KEY) === '1';
let lastAt = 0;
const listeners = new Set<() => void>();

export const isMuted = (): boolean => muted;

export function setMuted(m: boolean): void {
  muted = m;
  localStorage.setItem(MUTE_KEY, m ? '1' : '0');
  for (const l of listeners) l();
}

export function onMuteChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Browsers allow sound only after the operator did something: the first click or key unlocks it. */
function unlock(): void {
  ctx ??= new AudioContext();
  if (ctx.state === 'suspended') void ctx.resume();
}
for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, unlock, { capture: true });

/** Plays the chime, unless muted or one just played (a flood gives one chime, not hundreds). */
export function soundAlarm(): void {
  const now = Date.now();
  if (muted || !ctx || ctx.state !== 'running' || now - lastAt < MIN_GAP_MS) return;
  lastAt = now;
  const start = ctx.currentTime;
  for (const [i, freq] of [880, 660, 880].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    const t0 = start + i * 0.22;
    osc.type = 'square';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.2, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0);
    osc.stop(t0 + 0.21);
  }
}
