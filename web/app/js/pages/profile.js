// Partner profile / briefing: one city's history, relations, official visits, mechanisms,
// memberships, recent events and open actions; printable on one page.
import { get, getAll, query, strategyOptional } from '../api.js';
import { h, table, missing, sourceLink } from '../dom.js';
import { t, lang } from '../i18n.js';
import { state, label, cityName, eventTitle } from '../app.js';
import { chart } from '../charts.js';

// A list of at most `limit` items (the briefing must fit one printed page), saying how many more.
function capped(items, limit, render) {
  return h('ul', {}, items.slice(0, limit).map(render),
    items.length > limit ? h('li', { class: 'more' }, `… +${items.length - limit} ${t('common.more')}`) : null);
}

function cityRef(name, country) {
  return country ? `${name} (${country})` : name;
}

export async function render(container, arg) {
  const cities = await getAll('cities');
  container.appendChild(h('h1', {}, t('profile.title')));
  if (cities.length === 0) {
    container.appendChild(missing(t('common.none')));
    return;
  }
  // Default: the first partner city that is not Korean (the reference case's home is Seoul).
  const chosen = arg || (cities.find((city) => city.country !== 'KOR') || cities[0]).name_en;
  const select = h('select', {
    id: 'profile-city',
    onchange: (event) => { location.hash = `#/profile/${encodeURIComponent(event.target.value)}`; },
  }, cities.map((city) => h('option', { value: `${city.name_en},${city.country}`, selected: `${city.name_en},${city.country}` === chosen || city.name_en === chosen },
    `${cityName(city)} (${city.country})`)));
  container.appendChild(h('div', { class: 'toolbar no-print' },
    h('label', {}, t('profile.choose'), ' ', select),
    h('button', { type: 'button', onclick: () => window.print() }, t('common.print'))));

  const [profile, actions] = await Promise.all([
    get(query('/api/profile', { city: chosen })),
    strategyOptional(state.features, '/api/strategy/recommendations'),
  ]);
  const city = profile.city;
  container.appendChild(h('header', { class: 'briefing-head' },
    h('h2', { id: 'profile-name' }, `${city.name_ko || ''} ${city.name_en} ${city.name_zh || ''}`.trim()),
    h('p', {}, `${city.country} · ${label('city_kind', city.kind)}`,
      ' · ', (city.source_url || []).map((url, index) => [index > 0 ? ', ' : '', sourceLink(url, `${t('common.source')} ${index + 1}`)]))));

  const known = Object.keys(profile.events_per_year || {}).map(Number).sort((a, b) => a - b);
  const years = [];
  for (let year = known[0]; known.length > 0 && year <= known[known.length - 1]; year += 1) years.push(String(year));
  const grid = h('div', { class: 'briefing' });
  grid.appendChild(h('section', { class: 'card' }, h('h3', {}, t('profile.history')),
    years.length === 0 ? h('p', {}, t('common.none')) : chart({
      grid: { top: 20, left: 40, right: 10, bottom: 30 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: years },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('common.count'), data: years.map((year) => profile.events_per_year[year] || 0) }],
    }, { height: 180, label: t('profile.history') })));
  grid.appendChild(h('section', { class: 'card' }, h('h3', {}, t('profile.relations')),
    profile.relations.length === 0 ? h('p', {}, t('common.none')) : h('ul', {}, profile.relations.map((relation) =>
      h('li', {}, `${cityRef(relation.city_a, relation.country_a)} – ${cityRef(relation.city_b, relation.country_b)}: `,
        `${label('relation', relation.relation)} ${relation.since || ''} (${label('relation_status', relation.status)})`)))));
  grid.appendChild(h('section', { class: 'card' }, h('h3', {}, t('profile.visits')),
    profile.official_visits.length === 0 ? h('p', {}, t('common.none'))
      : capped(profile.official_visits.slice().reverse(), 8, (event) =>
        h('li', {}, `${event.date} · ${label('event_type', event.event_type)} · `, eventTitle(event)))));
  grid.appendChild(h('section', { class: 'card' }, h('h3', {}, t('profile.mechanisms')),
    profile.mechanisms.length === 0 ? h('p', {}, t('common.none')) : h('ul', {}, profile.mechanisms.map((mechanism) =>
      h('li', {}, `${(lang() === 'ko' && mechanism.name_ko) || mechanism.name_en} (${mechanism.founded || '?'}${mechanism.ended ? `–${mechanism.ended}` : ''})`)))));
  grid.appendChild(h('section', { class: 'card' }, h('h3', {}, t('profile.memberships')),
    profile.memberships.length === 0 ? h('p', {}, t('common.none')) : h('ul', {}, profile.memberships.map((membership) =>
      h('li', {}, `${membership.organization} · ${label('membership_role', membership.role)} ${membership.since || ''}`)))));
  // Open actions: the strategy's recommended next steps that name this city.
  const open = actions.data ? (actions.data.recommendations || [])
    .filter((item) => (item.partners || []).includes(city.name_en)) : [];
  grid.appendChild(h('section', { class: 'card', id: 'open-actions' }, h('h3', {}, t('profile.actions')),
    !actions.data ? missing(t('profile.actions_missing', { detail: actions.missing }))
      : open.length === 0 ? h('p', {}, t('common.none'))
        : capped(open, 4, (item) => h('li', {}, (lang() === 'ko' && item.text_ko) || item.text_en))));
  container.appendChild(grid);
  container.appendChild(h('section', { class: 'card recent' }, h('h3', {}, t('profile.recent')),
    profile.recent_events.length === 0 ? h('p', {}, t('common.none'))
      : table([t('common.date'), t('records.filter_type'), t('common.title')],
        profile.recent_events.slice(0, 8).map((event) => [event.date, label('event_type', event.event_type), eventTitle(event)]),
        { class: 'data' })));
}
