import { h } from './dom.js';
import { fmtAgo, fmtDate, fmtNumber, label, t, type MessageKey } from './i18n.js';
import type { FaultType, SirenDetail } from './types.js';

const none = () => t('value.none');
const num = (v: number | null | undefined, unit: string) => (v === null || v === undefined ? none() : `${fmtNumber(v, true)} ${unit}`);

/** The siren's current status and identity as label/value pairs; a value behind an active fault is marked ⚠. */
export function sirenFacts(d: SirenDetail): HTMLElement {
  const st = d.status;
  const warn = (bad: boolean, text: string): Node => (bad ? h('span', { class: 'warn' }, '⚠ ', text) : document.createTextNode(text));
  const amps = st?.amplifiers ?? [];
  const has = (type: FaultType) => d.activeFaults.includes(type);
  const rows: [MessageKey, Node | string][] = [
    ['detail.online', warn(has('OFFLINE'), t(d.online ? 'value.yes' : 'value.no'))],
    ['detail.mode', st ? label('mode', st.mode) : none()],
    ['detail.power', st ? warn(has('MAINS_FAILURE'), t(st.mains ? 'power.mains' : 'power.battery')) : none()],
    ['detail.battery', st ? warn(has('BATTERY_LOW'), `${fmtNumber(st.batteryPct)} % · ${num(st.batteryV, 'V')}`) : none()],
    ['detail.charger', st ? warn(has('CHARGER_FAULT'), label('charger', st.charger)) : none()],
    ['detail.temperature', st ? warn(has('OVERTEMP'), num(st.temperatureC, '°C')) : none()],
    ['detail.rssi', warn(has('COMMS_DEGRADED'), num(st?.rssiDbm, 'dBm'))],
    ['detail.commsPath', d.commsPath ? label('comms', d.commsPath) : none()],
    ['detail.door', st ? warn(has('DOOR_OPEN'), t(st.doorOpen ? 'detail.doorOpen' : 'detail.doorClosed')) : none()],
    ['detail.amplifiers', amps.length ? warn(has('AMPLIFIER_FAULT'), amps.map((ok) => (ok ? '✓' : '✖')).join(' ')) : none()],
    ['detail.speaker', st ? warn(has('SPEAKER_FAULT'), st.speakerOk ? '✓' : '✖') : none()],
    ['detail.lastSeen', d.lastSeenAt ? `${fmtDate(d.lastSeenAt)} (${fmtAgo(d.lastSeenAt)})` : none()],
    ['detail.statusAt', fmtDate(d.statusReceivedAt)],
    ['detail.offlineSince', fmtDate(d.offlineSince)],
    ['detail.clockSkew', warn(has('CLOCK_SKEW'), d.clockSkewS === null ? none() : t('unit.seconds', { n: Math.round(d.clockSkewS) || 0 }))],
    ['detail.model', `${d.model ?? none()} / ${d.fw ?? none()}`],
    ['detail.capabilities', d.capabilities.map((c) => label('capability', c)).join('、') || none()],
    ['detail.interval', d.intervalS === null ? none() : t('unit.seconds', { n: d.intervalS })],
    ['detail.boot', `${d.bootId ?? none()} / ${d.lastSeq ?? none()}`],
    ['detail.location', `${d.lat.toFixed(5)}, ${d.lon.toFixed(5)}`],
  ];
  if (d.maintenance) rows.unshift(['detail.maintenanceNote', d.maintenanceNote ?? none()]);
  return h('dl', { class: 'facts-list' }, ...rows.flatMap(([label, value]) => [h('dt', {}, t(label)), h('dd', {}, value)]));
}
