import { validateFaultProfile, type FaultProfile } from '../../devices-sim/index.js';

/**
 * The demo's mild fault profile, so the console shows a living network with something to handle:
 * a few sirens that died, one district on battery, one amplifier fault.
 */
const DEMO_PROFILE = {
  seed: 7,
  faults: [
    { kind: 'offline', sirens: ['NC-02-003', 'NC-05-011'] },
    { kind: 'mains-failure', district: '360104', count: 8, at: 20 },
    { kind: 'amplifier', sirens: ['NC-01-007'], count: 1 },
  ],
};

export function demoFaults(): FaultProfile {
  const r = validateFaultProfile(DEMO_PROFILE);
  if (!r.ok) throw new Error(`demo fault profile: ${r.errors.join('; ')}`);
  return r.profile;
}
