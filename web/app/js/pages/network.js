// Network: cities and the organizations they belong to (a bipartite graph of memberships), and
// the opportunities the network analysis finds (when this build has it).
import { getAll, optional } from '../api.js';
import { h, missing, table } from '../dom.js';
import { t, lang } from '../i18n.js';
import { label } from '../app.js';
import { chart } from '../charts.js';

export async function render(container) {
  container.appendChild(h('h1', {}, t('network.title')));
  const [memberships, cities, organizations, opportunities] = await Promise.all([
    getAll('memberships'), getAll('cities'), getAll('organizations'),
    optional('/api/network/opportunities')]);
  const koNames = new Map(cities.map((city) => [city.name_en, city.name_ko]));
  const acronyms = new Map(organizations.map((org) => [org.name, org.acronym]));
  const nodes = new Map();
  const links = [];
  for (const membership of memberships) {
    const cityId = `city:${membership.city}`;
    const orgId = `org:${membership.organization}`;
    if (!nodes.has(cityId)) {
      nodes.set(cityId, {
        id: cityId,
        name: (lang() === 'ko' && koNames.get(membership.city)) || membership.city,
        category: 0, symbolSize: 14, value: 0,
      });
    }
    if (!nodes.has(orgId)) {
      nodes.set(orgId, {
        id: orgId, name: acronyms.get(membership.organization) || membership.organization,
        category: 1, symbolSize: 22, value: 0,
      });
    }
    nodes.get(cityId).value += 1;
    nodes.get(orgId).value += 1;
    links.push({ source: cityId, target: orgId, value: label('membership_role', membership.role) });
  }
  container.appendChild(h('section', { class: 'card', id: 'membership-graph' },
    h('h2', {}, t('network.graph')),
    memberships.length === 0 ? missing(t('network.no_memberships')) : chart({
      legend: { data: [t('network.city'), t('network.organization')], top: 0 },
      tooltip: {},
      series: [{
        type: 'graph', layout: 'force', roam: true, draggable: true,
        categories: [{ name: t('network.city') }, { name: t('network.organization') }],
        label: { show: true, position: 'right', fontSize: 11 },
        force: { repulsion: 420, edgeLength: [60, 140], gravity: 0.08 },
        data: [...nodes.values()].map((node) => ({ ...node, symbolSize: node.symbolSize + 2 * Math.sqrt(node.value) })),
        links,
      }],
    }, { height: 520, label: t('network.graph') })));
  container.appendChild(h('section', { class: 'card', id: 'opportunities' },
    h('h2', {}, t('network.opportunities')),
    opportunities.data ? renderOpportunities(opportunities.data, koNames)
      : missing(t('network.opportunities_missing', { detail: opportunities.missing }))));
}

function renderOpportunities(report, koNames) {
  const all = (report.opportunities || []).slice().sort((a, b) => (b.score || 0) - (a.score || 0));
  if (all.length === 0) return h('p', {}, t('common.none'));
  const top = opportunityTable(all.slice(0, 15), koNames);
  if (all.length <= 15) return top;
  return h('div', {}, top, h('details', {}, h('summary', {}, `+${all.length - 15} ${t('common.more')}`),
    opportunityTable(all.slice(15), koNames)));
}

function opportunityTable(rows, koNames) {
  return table([t('network.organization'), t('network.kind'), t('network.partner'), t('network.reason'), t('network.score')],
    rows.map((row) => [
      row.organization, row.kind,
      (lang() === 'ko' && koNames.get(row.partner)) || row.partner,
      row.event ? `${row.reason} (${row.date} ${row.event})` : row.reason,
      typeof row.score === 'number' ? row.score.toFixed(2) : String(row.score ?? ''),
    ]), { class: 'data opportunities' });
}

