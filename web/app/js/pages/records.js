// Records: search, filter and page through any kind; add and edit with the importer's validation
// messages shown at each field (the server's error.fields).
import { api, get, query, ApiError } from '../api.js';
import { h, replace, table, missing } from '../dom.js';
import { t, lang } from '../i18n.js';
import { state, label, canEdit, cityName, eventTitle, loadCityNames, cityLabel } from '../app.js';
import { fieldLabel } from '../fields.js';

const KINDS = ['events', 'cities', 'partner_relations', 'organizations', 'memberships', 'officials', 'mechanisms'];
const PAGE_SIZE = 25;

// The columns the list shows per kind: [header key or text, value of a record].
function columns(kind) {
  const list = (values) => (values || []).join(', ');
  const f = (name) => fieldLabel(name, lang());
  switch (kind) {
    case 'events':
      return [
        [f('date'), (r) => r.date],
        [f('event_type'), (r) => label('event_type', r.event_type)],
        [f('home_city'), (r) => cityLabel(r.home_city)],
        [f('partner_city'), (r) => list((r.partner_city || []).map(cityLabel))],
        [f('level'), (r) => (r.level ? label('level', r.level) : t('common.unknown'))],
        [t('common.title'), (r) => eventTitle(r)],
      ];
    case 'cities':
      return [[f('name'), (r) => cityName(r)], [f('name_en'), (r) => r.name_en], [f('country'), (r) => r.country],
        [f('kind'), (r) => label('city_kind', r.kind)]];
    case 'partner_relations':
      return [[f('city_a'), (r) => r.city_a], [f('city_b'), (r) => r.city_b],
        [f('relation'), (r) => label('relation', r.relation)], [f('since'), (r) => r.since],
        [f('status'), (r) => label('relation_status', r.status)]];
    case 'organizations':
      return [[f('name'), (r) => r.name], [f('acronym'), (r) => r.acronym],
        [f('kind'), (r) => label('organization_kind', r.kind)], [f('founded'), (r) => r.founded]];
    case 'memberships':
      return [[f('city'), (r) => r.city], [f('organization'), (r) => r.organization],
        [f('role'), (r) => label('membership_role', r.role)], [f('since'), (r) => r.since], [f('until'), (r) => r.until]];
    case 'officials':
      return [[f('name'), (r) => (lang() === 'ko' && r.name_ko) || r.name_en], [f('office'), (r) => r.office],
        [f('city'), (r) => r.city], [f('term_start'), (r) => `${r.term_start || ''} – ${r.term_end || ''}`]];
    case 'mechanisms':
      return [[f('name'), (r) => (lang() === 'ko' && r.name_ko) || r.name_en], [f('cities'), (r) => list(r.cities)],
        [f('founded'), (r) => r.founded], [f('ended'), (r) => r.ended]];
    default:
      return [];
  }
}

function fieldsOf(kind) {
  return (state.schema.kinds[kind] && state.schema.kinds[kind].fields) || [];
}

// One form control per field of the import format.
function control(field, value) {
  const id = `field-${field.name}`;
  const vocabulary = field.vocabulary && state.schema.vocabularies[field.vocabulary];
  if (field.boolean) {
    return h('input', { type: 'checkbox', id, name: field.name, checked: value === true || value === 'true' });
  }
  if (vocabulary && field.list) {
    const chosen = new Set(value || []);
    return h('fieldset', { id, class: 'choices', dataset: { name: field.name, list: 'choices' } },
      vocabulary.map((entry) => h('label', { class: 'choice' },
        h('input', { type: 'checkbox', value: entry.code, checked: chosen.has(entry.code) }),
        ' ', lang() === 'ko' ? entry.ko : entry.en)));
  }
  if (vocabulary) {
    return h('select', { id, name: field.name },
      h('option', { value: '' }, '—'),
      vocabulary.map((entry) => h('option', { value: entry.code, selected: entry.code === value },
        `${lang() === 'ko' ? entry.ko : entry.en} (${entry.code})`)));
  }
  if (field.list) {
    return h('textarea', { id, name: field.name, rows: 2, placeholder: t('records.list_hint') },
      (value || []).join('\n'));
  }
  const dateLike = /(^date$|since|until|founded|ended|term_)/.test(field.name);
  return h('input', {
    id, name: field.name, type: 'text', value: value === undefined || value === null ? '' : String(value),
    placeholder: dateLike ? 'YYYY[-MM[-DD]]' : '',
  });
}

function readForm(form, kind) {
  const body = {};
  for (const field of fieldsOf(kind)) {
    const element = form.querySelector(`#field-${field.name}`);
    if (!element) continue;
    if (field.boolean) {
      body[field.name] = element.checked;
    } else if (element.dataset.list === 'choices') {
      body[field.name] = [...element.querySelectorAll('input:checked')].map((box) => box.value);
    } else if (field.list) {
      body[field.name] = element.value.split('\n').map((line) => line.trim()).filter(Boolean);
    } else if (element.value.trim() !== '') {
      body[field.name] = element.value.trim();
    }
  }
  return body;
}

function showErrors(form, error) {
  for (const node of form.querySelectorAll('.field-error')) node.textContent = '';
  for (const node of form.querySelectorAll('.invalid')) node.classList.remove('invalid');
  const general = [];
  const fields = error.fields && error.fields.length ? error.fields : [{ field: error.where, message: error.message }];
  for (const problem of fields) {
    const slot = problem.field && form.querySelector(`#error-${CSS.escape(problem.field)}`);
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent}; ${problem.message}` : problem.message;
      const input = form.querySelector(`#field-${CSS.escape(problem.field)}`);
      if (input) {
        input.classList.add('invalid');
        input.setAttribute('aria-invalid', 'true');
      }
    } else {
      general.push(problem.message);
    }
  }
  form.querySelector('.form-error').textContent = general.join('\n') || (fields.length ? '' : error.message);
}

function renderForm(panel, kind, record, onDone) {
  const editing = Boolean(record && record.record_id);
  const form = h('form', { id: 'record-form', class: 'record-form', novalidate: true },
    h('h2', {}, editing ? t('records.editing', { id: record.record_id }) : `${t('records.new')}: ${t(`kind.${kind}`)}`),
    h('p', { class: 'form-error error', role: 'alert' }),
    record && Array.isArray(record.visit_claims)
      ? h('p', { class: 'note' }, `${t('records.visit_claims_kept')}: `,
        record.visit_claims.map((claim) => `${claim.visit_partner} (${claim.visit_claim})`).join(', '))
      : null,
    h('div', { class: 'fields' }, fieldsOf(kind).filter((field) => !(record && Array.isArray(record.visit_claims)
      && field.name.startsWith('visit_'))).map((field) => h('div', { class: 'field' },
      h('label', { for: `field-${field.name}` }, fieldLabel(field.name, lang()),
        field.required ? h('span', { class: 'required', title: t('records.required') }, ' *') : null,
        h('code', { class: 'column' }, field.name)),
      control(field, record ? record[field.name] : field.default),
      h('p', { class: 'field-error', id: `error-${field.name}`, 'aria-live': 'polite' })))),
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', id: 'record-save', class: 'primary' }, t('records.save')),
      h('button', { type: 'button', onclick: () => replace(panel) }, t('records.cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = readForm(form, kind);
    // Several visit claims are not edited in this form; they are kept as they are.
    if (editing && Array.isArray(record.visit_claims)) {
      delete body.visit_partner;
      delete body.visit_claim;
      delete body.visit_source_url;
      body.visit_claims = record.visit_claims;
    }
    try {
      let saved;
      if (editing) {
        body.version = record.version;
        saved = await api('PUT', `/api/${kind}/${record.record_id}`, body);
      } else {
        saved = await api('POST', `/api/${kind}`, body);
      }
      replace(panel, h('p', { class: 'saved', role: 'status', id: 'record-saved' },
        `${t('records.saved')} #${saved.record_id}`));
      onDone();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showErrors(form, error);
    }
  });
  replace(panel, form);
  form.querySelector('input, select, textarea')?.focus();
}

export async function render(container, arg) {
  state.cityNames = null;  // records may have changed: reload the names
  await loadCityNames();
  const [kindArg, idArg] = (arg || '').split('/');
  const kind = KINDS.includes(kindArg) ? kindArg : 'events';
  const filters = { q: '', type: '', from: '', to: '', offset: 0 };
  const listBox = h('div', { id: 'record-list' });
  const panel = h('div', { id: 'record-panel' });

  const search = h('input', { type: 'search', id: 'records-q', placeholder: t('records.search_placeholder') });
  const typeSelect = h('select', { id: 'records-type' }, h('option', { value: '' }, t('records.any')),
    (state.schema.vocabularies.event_type || []).map((entry) => h('option', { value: entry.code }, label('event_type', entry.code))));
  const from = h('input', { type: 'text', id: 'records-from', size: 10, placeholder: 'YYYY' });
  const to = h('input', { type: 'text', id: 'records-to', size: 10, placeholder: 'YYYY' });
  const status = h('p', { class: 'error', role: 'alert', id: 'records-error' });

  let loads = 0;
  async function load() {
    const mine = ++loads;  // only the latest request may draw the list
    status.textContent = '';
    const params = { q: filters.q, limit: PAGE_SIZE, offset: filters.offset };
    if (kind === 'events') Object.assign(params, { type: filters.type, from: filters.from, to: filters.to });
    let page;
    try {
      page = await get(query(`/api/${kind}`, params));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (mine !== loads) return;
      status.textContent = error.message;
      replace(listBox);
      return;
    }
    if (mine !== loads) return;
    const cols = columns(kind);
    const rows = page.items.map((record) => [
      String(record.record_id),
      ...cols.map(([, value]) => value(record) || ''),
      canEdit() ? h('span', { class: 'row-actions' },
        h('button', { type: 'button', class: 'edit', onclick: () => renderForm(panel, kind, record, load) }, t('records.edit')),
        h('button', {
          type: 'button', class: 'danger',
          onclick: async () => {
            if (!window.confirm(t('records.confirm_delete'))) return;
            try {
              await api('DELETE', query(`/api/${kind}/${record.record_id}`, { version: record.version }));
              replace(panel, h('p', { class: 'saved', role: 'status' }, t('records.deleted')));
              load();
            } catch (error) {
              status.textContent = error.message;
            }
          },
        }, t('records.delete'))) : '',
    ]);
    const first = page.total === 0 ? 0 : filters.offset + 1;
    const last = Math.min(filters.offset + PAGE_SIZE, page.total);
    replace(listBox,
      page.items.length === 0 ? missing(t('common.none'))
        : table(['#', ...cols.map(([name]) => name), ''], rows, { class: 'data records', id: 'records-table' }),
      h('div', { class: 'pager' },
        h('button', { type: 'button', disabled: filters.offset === 0, onclick: () => { filters.offset = Math.max(0, filters.offset - PAGE_SIZE); load(); } }, t('records.previous')),
        h('span', { id: 'records-count' }, t('records.page', { from: first, to: last, total: page.total })),
        h('button', { type: 'button', disabled: last >= page.total, onclick: () => { filters.offset += PAGE_SIZE; load(); } }, t('records.next'))));
  }

  const form = h('form', {
    class: 'toolbar', id: 'records-search', role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      Object.assign(filters, { q: search.value, type: typeSelect.value, from: from.value, to: to.value, offset: 0 });
      load();
    },
  },
  h('label', {}, t('records.kind'), ' ', h('select', {
    id: 'records-kind', onchange: (event) => { location.hash = `#/records/${event.target.value}`; },
  }, KINDS.map((name) => h('option', { value: name, selected: name === kind }, t(`kind.${name}`))))),
  h('label', {}, t('records.search'), ' ', search),
  kind === 'events' ? [h('label', {}, t('records.filter_type'), ' ', typeSelect),
    h('label', {}, t('records.filter_from'), ' ', from), h('label', {}, t('records.filter_to'), ' ', to)] : null,
  h('button', { type: 'submit' }, t('records.search')),
  canEdit() ? h('button', { type: 'button', id: 'record-add', class: 'primary', onclick: () => renderForm(panel, kind, null, load) }, t('records.add')) : null);

  container.append(...[h('h1', {}, `${t('records.title')}: ${t(`kind.${kind}`)}`), form, status,
    canEdit() ? null : h('p', { class: 'note' }, t('records.read_only')), panel, listBox].filter(Boolean));
  await load();
  if (idArg && canEdit()) {
    try {
      renderForm(panel, kind, await get(`/api/${kind}/${encodeURIComponent(idArg)}`), load);
    } catch (error) {
      status.textContent = error.message;
    }
  }
}
