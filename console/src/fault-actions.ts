import { ApiError, api, post } from './api.js';
import { faultLabel } from './badges.js';
import { h } from './dom.js';
import { t, type MessageKey } from './i18n.js';
import { askNote } from './note-dialog.js';
import { can } from './session.js';
import { store } from './store.js';
import { toast } from './toast.js';
import { CLEARED_BY_HAND, isActive, needsAck, type Fault, type Incident, type Siren } from './types.js';

const sirenName = (id: string): string => store.sirens.get(id)?.name ?? id;

async function run(done: MessageKey, action: () => Promise<void>): Promise<void> {
  try {
    await action();
    toast(t(done));
  } catch (e) {
    toast(t('error.action', { message: e instanceof ApiError ? e.message : String(e) }), 'error');
  }
}

async function acknowledge(f: Fault): Promise<void> {
  const answer = await askNote(t('dialog.ackFault', { fault: faultLabel(f.type), siren: sirenName(f.sirenId) }));
  if (answer) await run('done.ack', async () => store.applyFault(await post<Fault>(`/api/faults/${encodeURIComponent(f.id)}/ack`, { note: answer.note })));
}

async function shelve(f: Fault): Promise<void> {
  const answer = await askNote(t('dialog.shelve', { fault: faultLabel(f.type), siren: sirenName(f.sirenId) }), { withMinutes: true });
  if (answer) await run('done.shelve', async () => store.applyFault(await post<Fault>(`/api/faults/${encodeURIComponent(f.id)}/shelve`, answer)));
}

async function unshelve(f: Fault): Promise<void> {
  await run('done.unshelve', async () => store.applyFault(await api<Fault>(`/api/faults/${encodeURIComponent(f.id)}/shelve`, { method: 'DELETE' })));
}

async function clearByHand(f: Fault): Promise<void> {
  const answer = await askNote(t('dialog.clear', { fault: faultLabel(f.type), siren: sirenName(f.sirenId) }));
  if (answer) await run('done.clear', async () => store.applyFault(await post<Fault>(`/api/faults/${encodeURIComponent(f.id)}/clear`, { note: answer.note })));
}

/** Maintenance on or off; the siren's new health arrives with the live stream. */
export async function setMaintenance(siren: Pick<Siren, 'id' | 'name'>, on: boolean): Promise<boolean> {
  const answer = await askNote(t(on ? 'dialog.maintenanceOn' : 'dialog.maintenanceOff', { siren: siren.name }));
  if (!answer) return false;
  await run('done.maintenance', async () => {
    await api(`/api/sirens/${encodeURIComponent(siren.id)}/maintenance`, { method: 'PUT', body: { on, note: answer.note } });
  });
  return true;
}

export async function acknowledgeIncident(i: Incident): Promise<void> {
  const answer = await askNote(t('dialog.ackIncident', { n: i.faultIds.length }));
  if (answer) await run('done.ack', async () => store.applyIncident(await post<Incident>(`/api/incidents/${encodeURIComponent(i.id)}/ack`, { note: answer.note })));
}

/** The buttons an operator may press on a fault, as the role and the fault's state allow. */
export function faultButtons(f: Fault): HTMLElement[] {
  if (!can('operator')) return [];
  const out: HTMLElement[] = [];
  const button = (label: MessageKey, onclick: () => void, extra: Record<string, string> = {}) =>
    out.push(h('button', { type: 'button', class: 'btn small', onclick, ...extra }, t(label)));
  if (needsAck(f)) button('action.ack', () => void acknowledge(f), { 'data-testid': `ack-${f.id}`, class: 'btn small primary' });
  if (isActive(f) && f.shelvedUntil === null) button('action.shelve', () => void shelve(f));
  if (f.shelvedUntil !== null && Date.parse(f.shelvedUntil) > Date.now()) button('action.unshelve', () => void unshelve(f));
  if (CLEARED_BY_HAND.includes(f.type) && isActive(f)) button('action.clear', () => void clearByHand(f));
  const siren = store.sirens.get(f.sirenId);
  if (siren && siren.health !== 'maintenance') button('action.maintenanceOn', () => void setMaintenance(siren, true));
  return out;
}
