// Overview: key figures, the latest events, alerts (unsupported visit claims, missing features).
import { get, query } from '../api.js';
import { h, table, missing } from '../dom.js';
import { t } from '../i18n.js';
import { state, label, eventTitle, loadCityNames, cityLabel } from '../app.js';

const KINDS = ['cities', 'partner_relations', 'organizations', 'memberships', 'officials', 'mechanisms', 'events'];

function partners(event) {
  return (event.partner_city || []).map(cityLabel).join(', ');
}

export async function render(container) {
  const [stats] = await Promise.all([get('/api/stats'), loadCityNames()]);
  container.appendChild(h('h1', {}, t('overview.title')));

  container.appendChild(h('section', { class: 'figures', 'aria-label': t('overview.figures') },
    KINDS.map((kind) => h('a', { class: 'figure', href: `#/records/${kind}`, id: `figure-${kind}` },
      h('span', { class: 'figure-value' }, String(stats.counts[kind] ?? 0)),
      h('span', { class: 'figure-label' }, t(`kind.${kind}`))))));

  // The store lists events by date, oldest first: the latest ten are the last page.
  const total = stats.counts.events || 0;
  const latest = total === 0 ? { items: [] }
    : await get(query('/api/events', { limit: 10, offset: Math.max(0, total - 10) }));
  const events = latest.items.slice().reverse();
  container.appendChild(h('section', { class: 'card', id: 'latest-events' },
    h('h2', {}, t('overview.latest')),
    events.length === 0 ? missing(t('timeline.no_events'))
      : table([t('common.date'), t('records.filter_type'), t('common.partners'), t('common.title')],
        events.map((event) => [
          event.date,
          label('event_type', event.event_type),
          partners(event),
          h('a', { href: `#/records/events/${event.record_id}` }, eventTitle(event)),
        ]), { class: 'data' })));

  const alerts = [];
  for (const claim of stats.visit_claims.unsupported || []) {
    alerts.push(h('li', { class: 'alert warn' }, `${t('overview.unsupported_claims')}: ${claim}`));
  }
  if ((stats.visit_claims.supported || 0) > 0) {
    alerts.push(h('li', { class: 'alert ok' },
      `${stats.visit_claims.supported} ${t('overview.supported_claims')}`));
  }
  const featureNames = { analyses: 'analyses', strategy: 'strategy scorecard', gdelt: 'GDELT', network: 'network analysis' };
  for (const [feature, present] of Object.entries(state.features || {})) {
    if (!present) {
      alerts.push(h('li', { class: 'alert info' }, t('overview.feature_missing', { feature: featureNames[feature] || feature })));
    }
  }
  container.appendChild(h('section', { class: 'card', id: 'alerts' },
    h('h2', {}, t('overview.alerts')),
    alerts.length === 0 ? h('p', {}, t('overview.no_alerts')) : h('ul', { class: 'alerts' }, alerts)));
}
