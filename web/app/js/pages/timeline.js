// Timeline: events per year stacked by type, phases shaded (when the phase analysis exists),
// mechanism foundings marked.
import { getAll, optional, query, analysisInputs, analysisHome } from '../api.js';
import { h, table, missing } from '../dom.js';
import { t, lang } from '../i18n.js';
import { state, label } from '../app.js';
import { chart, PALETTE } from '../charts.js';

/** Phases from the analyses, as [{name, from, to}] with years, or null when not available. */
export async function loadPhases() {
  const inputs = await analysisInputs(state.features);
  if (!inputs.data) return { phases: null, missing: inputs.missing || '' };
  const home = analysisHome(inputs.data);
  if (!home) return { phases: null, missing: t('analyses.no_home') };
  const result = await optional(query('/api/analyses/phases', { home }));
  if (result.missing || !result.data) return { phases: null, missing: result.missing || '' };
  const raw = result.data.phases || [];
  const phases = raw.map((phase) => ({
    name: phase.name ? t(`phase.${phase.name}`) : '',
    from: Number(String(phase.from || '').slice(0, 4)),
    to: Number(String(phase.to || '').slice(0, 4)),
  })).filter((phase) => phase.from > 0);
  return { phases, missing: '' };
}

export async function render(container) {
  container.appendChild(h('h1', {}, t('timeline.title')));
  const [events, mechanisms, phaseResult] = await Promise.all([
    getAll('events'), getAll('mechanisms'), loadPhases()]);
  if (events.length === 0) {
    container.appendChild(missing(t('timeline.no_events')));
    return;
  }
  const years = [];
  const counts = new Map();  // type -> Map(year -> n)
  let first = Infinity;
  let last = -Infinity;
  for (const event of events) {
    const year = Number(String(event.date).slice(0, 4));
    if (!year) continue;
    first = Math.min(first, year);
    last = Math.max(last, year);
    if (!counts.has(event.event_type)) counts.set(event.event_type, new Map());
    const perYear = counts.get(event.event_type);
    perYear.set(year, (perYear.get(year) || 0) + 1);
  }
  for (let year = first; year <= last; year += 1) years.push(String(year));
  const types = (state.schema.vocabularies.event_type || []).map((entry) => entry.code)
    .filter((code) => counts.has(code));

  const series = types.map((type, index) => ({
    name: label('event_type', type),
    type: 'bar',
    stack: 'events',
    itemStyle: { color: PALETTE[index % PALETTE.length] },
    data: years.map((year) => counts.get(type).get(Number(year)) || 0),
  }));
  // Mechanism foundings as vertical lines, phases as shaded bands (on the first series).
  const foundings = mechanisms.filter((mechanism) => mechanism.founded)
    .map((mechanism) => ({
      xAxis: String(mechanism.founded).slice(0, 4),
      name: (lang() === 'ko' && mechanism.name_ko) || mechanism.name_en,
    }))
    .filter((line) => years.includes(line.xAxis));
  if (series.length > 0) {
    series[0].markLine = {
      symbol: 'none',
      silent: true,
      lineStyle: { color: '#333', type: 'dashed' },
      label: { formatter: '{b}', position: 'end', fontSize: 11, color: '#333' },
      data: foundings,
    };
    if (phaseResult.phases) {
      series[0].markArea = {
        silent: true,
        itemStyle: { color: 'rgba(120, 120, 160, 0.10)' },
        label: { position: 'insideTop', fontSize: 11 },
        data: phaseResult.phases.map((phase) => [
          { name: phase.name, xAxis: String(Math.max(phase.from, first)) },
          { xAxis: String(Math.min(phase.to || last, last)) },
        ]),
      };
    }
  }
  container.appendChild(chart({
    color: PALETTE,
    legend: { type: 'scroll', top: 0 },
    grid: { top: 80, left: 50, right: 20, bottom: 40 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: years },
    yAxis: { type: 'value', name: t('common.count'), minInterval: 1 },
    series,
  }, { height: 460, label: t('timeline.title') }));

  if (!phaseResult.phases) {
    container.appendChild(missing(`${t('timeline.phases_missing')} ${phaseResult.missing}`));
  }
  container.appendChild(h('section', { class: 'card', id: 'mechanism-foundings' },
    h('h2', {}, t('timeline.mechanisms')),
    foundings.length === 0 ? h('p', {}, t('common.none'))
      : h('ul', {}, foundings.map((line) => h('li', {}, `${line.xAxis}: ${line.name}`)))));

  // The numbers behind the chart (also what screen readers and the browser tests read).
  const rows = years.map((year) => {
    const perType = types.map((type) => counts.get(type).get(Number(year)) || 0);
    return [year, String(perType.reduce((a, b) => a + b, 0)),
      types.filter((type, index) => perType[index] > 0)
        .map((type) => `${label('event_type', type)} ${counts.get(type).get(Number(year))}`).join(', ')];
  });
  container.appendChild(h('details', { class: 'card', id: 'timeline-data' },
    h('summary', {}, t('common.data_table')),
    table([t('common.year'), t('common.total'), t('records.filter_type')], rows, { class: 'data', id: 'timeline-table' })));
}
