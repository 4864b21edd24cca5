import { invalid } from '../common/domain-error.js';

/** Compressed time (`timeScale` < 1) is for simulated sirens only: a real siren plays in real time. */
export function assertTimeScaleAllowed(timeScale: number, simulation: boolean | undefined): void {
  if (timeScale !== 1 && !simulation) throw invalid('timeScale: below 1 only when the service runs with SIMULATION=true');
}
