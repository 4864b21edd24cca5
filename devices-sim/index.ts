/** The simulator's library API, e.g. for the service's demo mode to run the sirens in-process. */
export { startSimulation, BrokerUnreachableError, SimulationConfigError, DEFAULT_DRILL_PATTERNS } from './simulation.js';
export type { SimulationHandle, SimulationOptions } from './simulation.js';
export type { SimulationCounters } from './counters.js';
export type { SirenNotice } from './siren.js';
export { FAULT_KINDS, parseFaultProfile, validateFaultProfile } from './fault-profile.js';
export type { FaultKind, FaultProfile, FaultSpec, ProfileResult } from './fault-profile.js';
export { VERDICT_ORDER } from './ground-truth.js';
export type { ExpectedHealth, GroundTruth, GroundTruthEntry, Verdict } from './ground-truth.js';
export { ManualClock, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { MemoryBroker } from './memory-link.js';
export type { Connector } from './link.js';
