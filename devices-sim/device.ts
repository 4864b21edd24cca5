/**
 * The siren's hardware as its sensors report it: battery and charger, cabinet temperature,
 * radio signal, amplifiers and speaker, and the sound level its acoustic sensor measures.
 */
import type { Conditions } from './conditions.js';
import type { SimSiren } from './fleet.js';
import { between, shuffled } from './seed.js';

export const AMPLIFIERS = 4;
/** What the acoustic sensor hears with the horn blocked (SIMULATOR.md's `no-sound`). */
export const NO_SOUND_DB = 40;
/** Small enough that one amplifier of four still speaks above the threshold (nominal ≥ threshold + 8.5). */
const VOICE_QUIETER_DB = 1;
const AMBIENT_DB: [number, number] = [42, 55];

// A 24 V lead-acid bank: float charge 27.0–27.4 V; at rest 22.8 V (empty) to 25.6 V (full).
const FLOAT_V: [number, number] = [27.0, 27.4];
const restVolts = (pct: number) => 22.8 + (2.8 * pct) / 100;
const LOAD_SAG_V = 1.2;
// Standby on battery lasts about 72 h; sounding drains a full battery in about 45 min.
const STANDBY_DRAIN_PCT_PER_S = 100 / (72 * 3600);
const SOUNDING_DRAIN_PCT_PER_S = 100 / (45 * 60);
const RECHARGE_PCT_PER_S = 20 / 3600;
/** Below this the self-test reports the battery (the service's BATTERY_LOW threshold). */
export const BATTERY_LOW_PCT = 30;

export interface Hardware {
  mains: boolean;
  batteryV: number;
  batteryPct: number;
  charger: 'ok' | 'fault' | 'off';
  doorOpen: boolean;
  temperatureC: number;
  amplifiers: boolean[];
  speakerOk: boolean;
  rssiDbm?: number;
  commsPath: SimSiren['commsPath'];
}

export interface SoundOutcome {
  result: 'completed' | 'failed';
  soundDb: number;
  failure?: 'amplifier' | 'speaker' | 'power';
}

export interface SelfTest {
  ok: boolean;
  amplifiers: boolean[];
  speakerImpedanceOhm: number[];
  batteryUnderLoadV: number;
  failures: string[];
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Whether an activation with these conditions fails acoustically (FAIL_NO_SOUND) at this threshold. */
export function soundFails(c: Conditions, thresholdDb: number, voice = false): boolean {
  if (c.speakerFault || c.failedAmplifiers >= AMPLIFIERS) return true;
  if (voice && c.voiceMute) return NO_SOUND_DB < thresholdDb;
  if (c.noSound) return NO_SOUND_DB < thresholdDb;
  return c.weakSoundDb !== null && c.weakSoundDb < thresholdDb;
}

export class Device {
  private batteryPct: number;
  private lastUpdate: number | null = null;
  private readonly baseTempC: number;
  private readonly rssiBaseDbm: number;
  /** Loud enough that even one amplifier of four (−6 dB) stays above the threshold. */
  private readonly nominalDb: number;
  private readonly lowBatteryPct: number;
  private readonly failedOrder: number[];

  constructor(private readonly siren: SimSiren, private readonly random: () => number) {
    this.batteryPct = between(random, 95, 100);
    this.baseTempC = between(random, 16, 24);
    const weakest = siren.commsPath === 'satellite' ? -100 : siren.commsPath === 'radio' ? -98 : -95;
    this.rssiBaseDbm = between(random, weakest, -65);
    // With ±0.5 dB of jitter per activation a healthy siren reports 100–112 dB (SIMULATOR.md).
    this.nominalDb = Math.max(100, siren.soundThresholdDb + 8) + between(random, 0.5, 11.5);
    this.lowBatteryPct = between(random, 18, 28);
    this.failedOrder = shuffled(Array.from({ length: AMPLIFIERS }, (_, i) => i), random);
  }

  /** Charges or drains the battery for the time since the last call. */
  advance(now: number, c: Conditions, sounding: boolean): void {
    const dt = this.lastUpdate === null ? 0 : Math.max(0, (now - this.lastUpdate) / 1000);
    this.lastUpdate = now;
    if (c.mainsOff) {
      this.batteryPct -= dt * (sounding ? SOUNDING_DRAIN_PCT_PER_S : STANDBY_DRAIN_PCT_PER_S);
    } else if (c.batteryLow) {
      // A worn battery on mains: it will not take a charge beyond a low level.
      this.batteryPct = this.lowBatteryPct;
    } else if (!c.chargerFault) {
      this.batteryPct += dt * RECHARGE_PCT_PER_S;
    }
    this.batteryPct = Math.min(100, Math.max(0, this.batteryPct));
  }

  hardware(now: number, c: Conditions, sounding: boolean): Hardware {
    const charging = !c.mainsOff && !c.chargerFault;
    const volts = charging ? between(this.random, FLOAT_V[0], FLOAT_V[1]) : restVolts(this.batteryPct) - (sounding ? LOAD_SAG_V : 0);
    return {
      mains: !c.mainsOff,
      batteryV: round(volts, 2),
      batteryPct: round(this.batteryPct, 1),
      charger: c.chargerFault ? 'fault' : c.mainsOff ? 'off' : 'ok',
      doorOpen: c.doorOpen,
      temperatureC: round(c.overtemp ? between(this.random, 74.5, 75.5) : this.ambientC(now), 1),
      amplifiers: this.amplifiers(c),
      speakerOk: !c.speakerFault,
      ...(this.siren.commsPath === 'fiber' ? {} : { rssiDbm: Math.round(this.rssiBaseDbm + between(this.random, -3, 3)) }),
      commsPath: this.siren.commsPath,
    };
  }

  /** Cabinet temperature following local solar time: coolest before dawn, warmest mid-afternoon. */
  private ambientC(now: number): number {
    const d = new Date(now);
    const solarHour = (d.getUTCHours() + d.getUTCMinutes() / 60 + this.siren.lon / 15 + 24) % 24;
    return this.baseTempC + 5 * Math.sin((2 * Math.PI * (solarHour - 9)) / 24) + between(this.random, -0.3, 0.3);
  }

  private amplifiers(c: Conditions): boolean[] {
    const failed = new Set(this.failedOrder.slice(0, c.failedAmplifiers));
    return Array.from({ length: AMPLIFIERS }, (_, i) => !failed.has(i));
  }

  /** The level the acoustic sensor measures while sounding; speech is a little quieter than a tone. */
  sound(c: Conditions, voice = false): SoundOutcome {
    const ambient = () => round(between(this.random, AMBIENT_DB[0], AMBIENT_DB[1]), 1);
    if (c.speakerFault) return { result: 'failed', soundDb: ambient(), failure: 'speaker' };
    const working = AMPLIFIERS - c.failedAmplifiers;
    if (working === 0) return { result: 'failed', soundDb: ambient(), failure: 'amplifier' };
    if (c.mainsOff && this.batteryPct <= 0) return { result: 'failed', soundDb: ambient(), failure: 'power' };
    if (c.noSound || (voice && c.voiceMute)) return { result: 'completed', soundDb: NO_SOUND_DB };
    if (c.weakSoundDb !== null) return { result: 'completed', soundDb: c.weakSoundDb };
    const level = this.nominalDb - 10 * Math.log10(AMPLIFIERS / working) - (voice ? VOICE_QUIETER_DB : 0) + between(this.random, -0.5, 0.5);
    return { result: 'completed', soundDb: round(level, 1) };
  }

  /** A silent test: amplifiers, speaker line impedance and the battery under a dummy load. */
  selfTest(c: Conditions): SelfTest {
    const amplifiers = this.amplifiers(c);
    const failures = amplifiers.flatMap((ok, i) => (ok ? [] : [`amplifier ${i + 1}`]));
    // An open speaker line measures as a very high impedance.
    const speakerImpedanceOhm = amplifiers.map(() => round(c.speakerFault ? between(this.random, 900, 999) : between(this.random, 7.6, 8.4), 1));
    if (c.speakerFault) failures.push('speaker');
    const batteryUnderLoadV = round(restVolts(this.batteryPct) - LOAD_SAG_V + (c.mainsOff ? 0 : 0.3), 2);
    if (this.batteryPct < BATTERY_LOW_PCT) failures.push(`battery ${round(this.batteryPct, 0)} %`);
    return { ok: failures.length === 0, amplifiers, speakerImpedanceOhm, batteryUnderLoadV, failures };
  }
}
