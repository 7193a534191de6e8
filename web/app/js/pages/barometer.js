// Barometer: the city's activity (registry events per year) against the national index (GDELT),
// the lag chart and shock episodes, as far as this build and the ingested data allow.
import { get, optional } from '../api.js';
import { h, table, missing } from '../dom.js';
import { t } from '../i18n.js';
import { chart } from '../charts.js';

export async function render(container) {
  container.appendChild(h('h1', {}, t('barometer.title')));
  const [stats, gdelt, lag, shocks] = await Promise.all([
    get('/api/stats'),
    optional('/api/gdelt/series?from=KOR&to=CHN&period=year'),
    optional('/api/analyses/lag'),
    optional('/api/analyses/shocks'),
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
    lag.data ? renderGeneric(lag.data) : missing(t('barometer.lag_missing', { detail: lag.missing }))));
  container.appendChild(h('section', { class: 'card', id: 'shocks' },
    h('h2', {}, t('barometer.shocks')),
    shocks.data ? renderGeneric(shocks.data) : missing(t('barometer.shocks_missing', { detail: shocks.missing }))));
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
