// Strategy: the scorecard of the strategy file (data/strategy/...) with traffic lights per
// strategy, action and KPI, and the evidence (registry records with their sources) behind each.
import { strategyOptional } from '../api.js';
import { state } from '../app.js';
import { h, table, missing, sourceLink } from '../dom.js';
import { t, lang } from '../i18n.js';

// met: green, on track: amber, behind: red, no data: grey.
const LIGHT = { met: 'green', on_track: 'amber', behind: 'red', no_data: 'grey' };

export function light(status) {
  const code = String(status || 'no_data');
  return h('span', { class: `light light-${LIGHT[code] || 'grey'}`, dataset: { status: code } },
    '● ', t(`strategy.status.${code}`));
}

function name(item) {
  return (lang() === 'ko' && item.name_ko) || item.name_en || item.name || item.id || '';
}

function score(value) {
  // Scores are 0–100 (the strategy engine's scale).
  return value === null || value === undefined ? '—' : `${Math.round(Number(value))}/100`;
}

function evidenceList(items, total) {
  if (!items || items.length === 0) return null;
  return h('ul', { class: 'evidence' }, items.map((item) => h('li', {},
    item.date ? `${item.date} · ` : '',
    (lang() === 'ko' && item.text_ko) || item.text_en || item.ref || item.id || '',
    ' ', (item.sources || []).slice(0, 2).map((url) => [' ', sourceLink(url, t('common.source'))]))),
  total && total > items.length ? h('li', { class: 'more' }, `… ${total - items.length}`) : null);
}

function kpiValue(kpi) {
  const value = kpi.value === null || kpi.value === undefined ? '—' : String(Math.round(kpi.value * 100) / 100);
  return `${value} / ${kpi.target}${kpi.unit ? ` ${kpi.unit}` : ''}`;
}

export async function render(container) {
  container.appendChild(h('h1', {}, t('strategy.title')));
  const result = await strategyOptional(state.features, '/api/strategy/scorecard');
  if (!result.data) {
    container.appendChild(missing(t('strategy.missing', { detail: result.missing })));
    return;
  }
  const card = result.data;
  container.appendChild(h('section', { class: 'card scorecard-head', id: 'scorecard' },
    h('h2', {}, (lang() === 'ko' && card.name_ko) || card.name_en),
    h('p', {}, light(card.status), ` ${t('strategy.score')}: ${score(card.score)} · ${t('strategy.as_of')} ${card.as_of}`),
    h('p', { class: 'note' }, `${t('strategy.file')}: ${card.strategy_file}`,
      card.index_file ? ` · ${t('strategy.index')}: ${card.index_file}` : '')));
  for (const strategy of card.strategies || []) {
    const rows = [];
    for (const action of strategy.actions || []) {
      rows.push([
        h('strong', {}, name(action)), light(action.status), score(action.score), '',
        evidenceList(action.evidence),
      ]);
      for (const kpi of action.kpis || []) {
        rows.push([
          h('span', { class: 'kpi' }, '↳ ', name(kpi)), light(kpi.status), kpiValue(kpi),
          kpi.trend ? t(`strategy.trend.${kpi.trend}`) : '', evidenceList(kpi.evidence, kpi.evidence_total),
        ]);
      }
    }
    container.appendChild(h('section', { class: 'card' },
      h('h2', {}, name(strategy), ' ', light(strategy.status), ` ${score(strategy.score)}`),
      table([t('strategy.indicator'), t('strategy.status'), t('strategy.value'), t('strategy.trend'), t('strategy.evidence')],
        rows, { class: 'data scorecard' })));
  }
}
