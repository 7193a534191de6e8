// Audit log and users (admins only): who changed what, when, with the record before and after.
import { get, query } from '../api.js';
import { h, table, missing } from '../dom.js';
import { t } from '../i18n.js';
import { state } from '../app.js';

// The fields that differ between two JSON objects, as "field: before → after" lines.
function changes(before, after) {
  if (!before && after) return [`+ ${after.title_en || after.name_en || after.name || after.username || ''}`];
  if (before && !after) return [`− ${before.title_en || before.name_en || before.name || before.username || ''}`];
  if (!before || !after) return [];
  const lines = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'version') continue;
    const a = JSON.stringify(before[key] ?? '');
    const b = JSON.stringify(after[key] ?? '');
    if (a !== b) lines.push(`${key}: ${a} → ${b}`);
  }
  return lines;
}

export async function render(container) {
  container.appendChild(h('h1', {}, t('admin.title')));
  if (!state.me || state.me.role !== 'admin') {
    container.appendChild(missing(t('admin.only')));
    return;
  }
  const [audit, users] = await Promise.all([get(query('/api/audit', { limit: 100 })), get('/api/users')]);
  container.appendChild(h('section', { class: 'card', id: 'audit' },
    h('h2', {}, `${t('admin.audit')} (${audit.total})`),
    audit.items.length === 0 ? h('p', {}, t('common.none')) : table(
      [t('admin.at'), t('admin.actor'), t('admin.action'), t('admin.record'), t('admin.outcome'), t('admin.change')],
      audit.items.map((entry) => [
        entry.at, entry.actor, entry.action, `${entry.kind} #${entry.record_id}`,
        h('span', { class: `outcome outcome-${entry.outcome}` }, entry.outcome, entry.detail ? ` (${entry.detail})` : ''),
        h('div', { class: 'diff' }, changes(entry.before, entry.after).map((line) => h('div', {}, line))),
      ]), { class: 'data', id: 'audit-table' })));
  container.appendChild(h('section', { class: 'card', id: 'users' },
    h('h2', {}, t('admin.users')),
    table([t('admin.username'), t('admin.role'), t('admin.created')],
      users.items.map((user) => [user.username, user.role, user.created_at]), { class: 'data' })));
}
