/** A small valid CAP 1.2 alert for the demo city's 东湖区 (district 360102). */
export const capXml = (identifier: string, sent = '2026-11-30T10:00:00+08:00') => `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${identifier}</identifier><sender>cd@nanchang.gov.cn</sender>
<sent>${sent}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><language>zh-CN</language><category>Safety</category><event>防空警报</event><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty>
<area><areaDesc>东湖区</areaDesc><geocode><valueName>GB/T2260</valueName><value>360102</value></geocode></area></info></alert>`;
