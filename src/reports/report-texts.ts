import type { FaultType } from '../faults/fault-types.js';

export const REPORT_LANGS = ['zh-CN', 'en'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/** [zh-CN, en] for every label the printed monthly report shows. */
const LABELS = {
  title: ['警报器网络月报', 'Siren network monthly report'],
  period: ['统计期间', 'Period'],
  timeZone: ['时区', 'time zone'],
  generated: ['生成时间', 'Generated'],
  inProgress: ['（本月尚未结束，统计至生成时间）', '(month in progress: figures up to the time of generation)'],
  availability: ['可用率', 'Availability'],
  fleet: ['全网', 'Whole network'],
  district: ['区', 'District'],
  code: ['代码', 'Code'],
  siren: ['警报器', 'Siren'],
  sirens: ['警报器数', 'Sirens'],
  offline: ['离线时长', 'Offline'],
  impaired: ['故障时长', 'Impaired'],
  mttr: ['平均修复时间', 'Mean time to repair'],
  repairs: ['修复次数', 'Repairs'],
  definition: [
    '可用率 = 1 − (离线 ∪ 影响鸣响的故障) 时间 / (统计期间 − 维护时间)；区的可用率为各警报器的平均值。平均修复时间为期间内结束的离线或故障时段的平均长度。',
    'Availability = 1 − (offline ∪ impairing-fault) time / (period − maintenance time); a district’s is the mean of its sirens’. Mean time to repair is the mean length of the offline or impaired stretches that ended in the period.',
  ],
  worst: ['可用率最低的警报器', 'Sirens with the lowest availability'],
  faults: ['故障统计（本期新发）', 'Faults raised in the period'],
  type: ['类型', 'Type'],
  severity: ['级别', 'Severity'],
  count: ['数量', 'Count'],
  total: ['合计', 'Total'],
  faultsByDistrict: ['各区故障', 'Faults by district'],
  incidents: ['事件', 'Incidents'],
  kind: ['类别', 'Kind'],
  opened: ['开始', 'Opened'],
  closed: ['结束', 'Closed'],
  drills: ['演练', 'Drills'],
  name: ['名称', 'Name'],
  mode: ['方式', 'Mode'],
  state: ['状态', 'State'],
  started: ['开始时间', 'Started'],
  pass: ['通过', 'Pass'],
  fail: ['失败', 'Fail'],
  excused: ['免测', 'Excused'],
  passRate: ['鸣响率', 'Pass rate'],
  none: ['无', 'None'],
  open: ['未结束', 'open'],
} as const;

const FAULTS: Record<FaultType, readonly [string, string]> = {
  OFFLINE: ['离线', 'Offline'],
  ACTIVATION_FAILED: ['鸣响失败', 'Activation failed'],
  AMPLIFIER_FAULT: ['功放故障', 'Amplifier fault'],
  SPEAKER_FAULT: ['扬声器故障', 'Speaker fault'],
  BATTERY_LOW: ['电池电量低', 'Battery low'],
  TAMPER: ['防拆报警', 'Tamper'],
  DOOR_OPEN: ['箱门打开', 'Door open'],
  MAINS_FAILURE: ['市电中断', 'Mains failure'],
  CHARGER_FAULT: ['充电器故障', 'Charger fault'],
  OVERTEMP: ['温度过高', 'Over temperature'],
  COMMS_DEGRADED: ['通信质量差', 'Poor communications'],
  CLOCK_SKEW: ['时钟偏差', 'Clock skew'],
  UNREGISTERED_DEVICE: ['未登记设备', 'Unregistered device'],
};

const WORDS: Record<string, readonly [string, string]> = {
  critical: ['紧急', 'critical'],
  major: ['重要', 'major'],
  minor: ['次要', 'minor'],
  power: ['停电', 'power cut'],
  comms: ['通信中断', 'communications outage'],
  other: ['其他', 'other'],
  silent: ['静默', 'silent'],
  audible: ['鸣响', 'audible'],
  completed: ['已完成', 'completed'],
  aborted: ['已中止', 'aborted'],
  running: ['进行中', 'running'],
  planned: ['计划中', 'planned'],
};

type Label = keyof typeof LABELS;

/** The labels of one language: `l.title`, `l.fault('OFFLINE')`, `l.word('power')`. */
export function texts(lang: ReportLang) {
  const i = lang === 'en' ? 1 : 0;
  const labels = Object.fromEntries(Object.entries(LABELS).map(([k, v]) => [k, v[i]])) as Record<Label, string>;
  return { ...labels, fault: (t: FaultType) => FAULTS[t][i], word: (w: string) => WORDS[w]?.[i] ?? w };
}
