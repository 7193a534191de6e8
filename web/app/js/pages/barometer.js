// Barometer: the city's activity (registry events per year) against the national index (GDELT),
// the lag chart and shock episodes, as far as this build and the ingested data allow.
import { get, optional, query, analysisInputs, analysisHome } from '../api.js';
import { h, table, missing } from '../dom.js';
import { t } from '../i18n.js';
import { state } from '../app.js';
import { chart } from '../charts.js';

export async function render(container) {
  container.appendChild(h('h1', {}, t('barometer.title')));
  const inputs = await analysisInputs(state.features);
  const home = inputs.data ? analysisHome(inputs.data) : null;
  // The national index: a usable one (consecutive periods, at least 8), the longest first.
  const indexes = (inputs.data && inputs.data.indexes) || [];
  const nationalIndex = indexes.filter((source) => source.usable)
    .sort((a, b) => b.periods - a.periods)[0] || null;
  const notAsked = (message) => Promise.resolve({ missing: message });
  const noHome = inputs.data ? t('analyses.no_home') : inputs.missing;
  const noIndex = t('analyses.no_index', {
    notes: indexes.length === 0 ? ''
      : `; ${indexes.map((source) => `${source.name}: ${source.note || source.granularity}`).join('; ')}`,
  });
  const [stats, gdelt, lag, shocks] = await Promise.all([
    get('/api/stats'),
    state.features.gdelt ? optional('/api/gdelt/series?from=KOR&to=CHN&period=year')
      : notAsked('the GDELT series are not part of this build'),
    !home ? notAsked(noHome) : !nationalIndex ? notAsked(noIndex)
      : optional(query('/api/analyses/barometer', { home, index: nationalIndex.name, period: 'year' })),
    !home ? notAsked(noHome)
      : optional(query('/api/analyses/shocks', {
        home, index: nationalIndex ? nationalIndex.name : '', period: 'year',
      })),
  ]);
  // Every year from the first to the last event, quiet years included (as zeros).
  const perYear = stats.events_per_year || {};
  const known = Object.keys(perYear).map(Number).sort((a, b) => a - b);
  const activity = [];
  for (let year = known[0]; known.length > 0 && year <= known[known.length - 1]; year += 1) {
    activity.push([String(year), perYear[String(year)] || 0]);
  }
  const series = [{
    name: t('barometer.city_activity'), type: 'bar', data: activity.map(([, n]) => n), yAxisIndex: 0,
  }];
  const years = activity.map(([year]) => year);
  let index = null;
  const rows = gdelt.data && Array.isArray(gdelt.data.rows) ? gdelt.data.rows : [];
  if (rows.length > 0) {
    // The national index: GDELT events between the two countries per year (KOR–CHN by default).
    index = new Map();
    for (const row of rows) {
      const year = String(row.period).slice(0, 4);
      index.set(year, (index.get(year) || 0) + Number(row.events || 0));
    }
    // The index over the registry's years (GDELT may reach further back).
    for (const year of years) if (!index.has(year)) index.set(year, null);
    series.push({
      name: t('barometer.national_index'), type: 'line', yAxisIndex: 1,
      data: years.map((year) => index.get(year)),
    });
  }
  container.appendChild(h('section', { class: 'card' },
    h('h2', {}, t('barometer.city_activity')),
    activity.length === 0 ? missing(t('timeline.no_events')) : chart({
      legend: { top: 0 },
      grid: { top: 50, left: 50, right: 60, bottom: 40 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: years },
      yAxis: [{ type: 'value', name: t('common.count'), minInterval: 1 }, { type: 'value', name: 'GDELT' }],
      series,
    }, { height: 340, label: t('barometer.city_activity') }),
    index ? null : missing(t('barometer.gdelt_missing', { detail: gdelt.missing || 'no GDELT data ingested (citydip gdelt ingest)' }))));

  container.appendChild(h('section', { class: 'card', id: 'lag' },
    h('h2', {}, t('barometer.lag')),
    lag.data ? renderBarometer(lag.data) : missing(t('barometer.lag_missing', { detail: lag.missing }))));
  container.appendChild(h('section', { class: 'card', id: 'shocks' },
    h('h2', {}, t('barometer.shocks')),
    shocks.data ? renderShocks(shocks.data) : missing(t('barometer.shocks_missing', { detail: shocks.missing }))));
}

function scopeLine(data) {
  const scope = data.scope || {};
  const home = scope.home ? `${scope.home.name} (${scope.home.country})` : '';
  return h('p', { class: 'note' }, `${t('analyses.home')}: ${home} · ${scope.partner || ''}`,
    scope.index ? ` · ${t('analyses.index')}: ${scope.index}` : '');
}

/** The barometer's verdict and its numbers (GET /api/analyses/barometer). */
export function renderBarometer(data) {
  const leadLag = data.lead_lag || {};
  const granger = data.granger || {};
  const p = (direction) => (direction && direction.p_value !== null && direction.p_value !== undefined
    ? format(direction.p_value) : (direction && direction.unavailable) || '');
  const periods = (data.series && data.series.periods) || [];
  return h('div', {},
    h('p', { id: 'barometer-verdict' }, data.verdict_text || ''),
    h('dl', { class: 'generic' },
      h('dt', {}, t('barometer.verdict')), h('dd', {}, data.verdict || ''),
      h('dt', {}, t('barometer.best_lag')), h('dd', {}, `${leadLag.best_lag} (r = ${format(leadLag.correlation)})`),
      h('dt', {}, t('barometer.granger_nc')), h('dd', {}, p(granger.national_to_city)),
      h('dt', {}, t('barometer.granger_cn')), h('dd', {}, p(granger.city_to_national)),
      h('dt', {}, t('barometer.periods')),
      h('dd', {}, periods.length ? `${periods.length} (${periods[0]}–${periods[periods.length - 1]})` : '0')),
    scopeLine(data));
}

/** One row per shock episode (GET /api/analyses/shocks). */
export function renderShocks(data) {
  const rows = (data.episodes || []).map((episode) => [
    episode.name, `${episode.from || ''}–${episode.to || ''}`,
    episode.unavailable || (typeof episode.depth === 'number' ? `${(episode.depth * 100).toFixed(1)}%` : '—'),
    episode.recovery && episode.recovery.periods !== null && episode.recovery.periods !== undefined ? String(episode.recovery.periods) : '—',
    episode.counterfactual ? format(episode.counterfactual.insulation) : '—',
  ]);
  return h('div', {},
    table([t('barometer.episode'), t('common.year'), t('barometer.depth'), t('barometer.recovery'), t('barometer.insulation')],
      rows, { class: 'data', id: 'shocks-table' }),
    scopeLine(data));
}

/** A readable table of an analysis result whose exact shape this page does not know. */
export function renderGeneric(data) {
  const rows = Array.isArray(data) ? data : (data.items || data.rows || data.episodes || null);
  if (Array.isArray(rows) && rows.length > 0 && typeof rows[0] === 'object') {
    const headers = Object.keys(rows[0]);
    return table(headers, rows.map((row) => headers.map((key) => format(row[key]))), { class: 'data' });
  }
  return h('dl', { class: 'generic' }, Object.entries(data || {}).map(([key, value]) =>
    [h('dt', {}, key), h('dd', {}, format(value))]));
}

function format(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
