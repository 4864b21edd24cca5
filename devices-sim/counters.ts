/** Running totals of what the simulated fleet did, for progress displays and tests. */
import type { StatusFate } from './outbox.js';
import type { SirenNotice } from './siren.js';

export interface SimulationCounters {
  sirens: number;
  /** Sirens connected right now. */
  connected: number;
  /** Sirens that have connected at least once. */
  everConnected: number;
  /** Sirens sounding (a pattern or a spoken message) right now. */
  sounding: number;
  connectFailures: number;
  /** Connections that ended without a goodbye (faults, lost links): each fires a will. */
  drops: number;
  faultsInjected: number;
  /** Messages the broker acknowledged, per channel. */
  sent: { availability: number; status: number; event: number; ack: number };
  sentTotal: number;
  /** Status messages lost, corrupted, held back or duplicated by the wire faults. */
  statusFate: Record<StatusFate, number>;
  commandsReceived: number;
  commandsRejected: number;
}

export function emptyCounters(sirens: number): SimulationCounters {
  return {
    sirens,
    connected: 0,
    everConnected: 0,
    sounding: 0,
    connectFailures: 0,
    drops: 0,
    faultsInjected: 0,
    sent: { availability: 0, status: 0, event: 0, ack: 0 },
    sentTotal: 0,
    statusFate: { lost: 0, corrupted: 0, held: 0, duplicated: 0 },
    commandsReceived: 0,
    commandsRejected: 0,
  };
}

export function tally(c: SimulationCounters, n: SirenNotice): void {
  switch (n.type) {
    case 'sent':
      c.sent[n.channel]++;
      c.sentTotal++;
      break;
    case 'status-fate':
      c.statusFate[n.fate]++;
      break;
    case 'connect-failed':
      c.connectFailures++;
      break;
    case 'disconnected':
      if (!n.clean) c.drops++;
      break;
    case 'fault':
      if (n.active) c.faultsInjected++;
      break;
    case 'command':
      c.commandsReceived++;
      if (!n.accepted) c.commandsRejected++;
      break;
    default:
      break;
  }
}
