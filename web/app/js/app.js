// The dashboard shell: navigation (hash routes), the language switch, the login dialog, and the
// shared state every page reads (who is logged in, the vocabularies, which features exist).
import { api, get, getAll, onUnauthorized, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { lang, setLang, onLangChange, t } from './i18n.js';
import { disposeCharts, mountCharts } from './charts.js';
import * as overview from './pages/overview.js';
import * as timeline from './pages/timeline.js';
import * as barometer from './pages/barometer.js';
import * as network from './pages/network.js';
import * as strategy from './pages/strategy.js';
import * as profile from './pages/profile.js';
import * as records from './pages/records.js';
import * as admin from './pages/admin.js';

const PAGES = [
  ['overview', overview],
  ['timeline', timeline],
  ['barometer', barometer],
  ['network', network],
  ['strategy', strategy],
  ['profile', profile],
  ['records', records],
  ['admin', admin],
];

/** Shared state for the pages. */
export const state = {
  me: null,          // {username, role, authenticated, public_read}
  schema: null,      // {kinds, vocabularies}
  features: {},      // {analyses, strategy, gdelt, network}
  cityNames: null,   // Map(English name -> Korean name), loaded on demand
};

/** The label of a vocabulary code in the current language ("leader_visit" → "단체장 방문"). */
export function label(vocabulary, code) {
  const entries = state.schema && state.schema.vocabularies[vocabulary];
  const entry = entries && entries.find((item) => item.code === code);
  if (!entry) return code || t('common.unknown');
  return lang() === 'ko' ? entry.ko : entry.en;
}

/** A city's name in the current language, from a city record. */
export function cityName(city) {
  if (!city) return '';
  return lang() === 'ko' && city.name_ko ? city.name_ko : city.name_en;
}

/** Loads the Korean names of the cities once (for cityLabel). */
export async function loadCityNames() {
  if (!state.cityNames) {
    const cities = await getAll('cities');
    state.cityNames = new Map(cities.map((city) => [city.name_en, city.name_ko]));
  }
  return state.cityNames;
}

/** A city named by its English name, in the current language (after loadCityNames). */
export function cityLabel(name) {
  if (lang() !== 'ko' || !state.cityNames) return name;
  return state.cityNames.get(name) || name;
}

/** An event's title in the current language. */
export function eventTitle(event) {
  if (lang() === 'ko' && event.title_ko) return event.title_ko;
  return event.title_en || event.title_ko || '';
}

export function canEdit() {
  return Boolean(state.me && state.me.authenticated && (state.me.role === 'editor' || state.me.role === 'admin'));
}

function currentRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [name, ...rest] = hash.split('/');
  const known = PAGES.find(([page]) => page === name);
  return { name: known ? name : 'overview', arg: decodeURIComponent(rest.join('/')) };
}

function renderNav() {
  const { name } = currentRoute();
  const nav = document.getElementById('nav');
  replace(nav, PAGES
    .filter(([page]) => page !== 'admin' || (state.me && state.me.role === 'admin'))
    .map(([page]) => h('a', {
      href: `#/${page}`,
      id: `nav-${page}`,
      class: page === name ? 'active' : '',
      'aria-current': page === name ? 'page' : false,
    }, t(`nav.${page}`))));
  for (const code of ['ko', 'en']) {
    const button = document.getElementById(`lang-${code}`);
    button.classList.toggle('active', lang() === code);
    button.setAttribute('aria-pressed', String(lang() === code));
  }
  const who = document.getElementById('who');
  const logout = document.getElementById('logout');
  if (state.me && state.me.authenticated) {
    who.textContent = `${state.me.username} (${state.me.role})`;
    logout.textContent = t('login.logout');
    logout.hidden = false;
  } else if (state.me) {
    who.textContent = t('login.anonymous');
    logout.textContent = t('login.login');
    logout.hidden = false;
  } else {
    who.textContent = '';
    logout.hidden = true;
  }
  document.getElementById('footer').textContent =
    lang() === 'ko'
      ? 'citydip — 도시 외교 관측·전략 도구. 모든 기록은 출처를 가집니다.'
      : 'citydip — an observatory and strategy engine for city diplomacy. Every record carries its sources.';
}

let renderToken = 0;

async function render() {
  renderNav();
  if (!state.me) return;
  const { name, arg } = currentRoute();
  const page = PAGES.find(([candidate]) => candidate === name)[1];
  const main = document.getElementById('page');
  const token = ++renderToken;
  disposeCharts();
  replace(main, h('p', { class: 'loading' }, t('common.loading')));
  document.title = `citydip — ${t(`nav.${name}`)}`;
  const container = h('div', { class: `page page-${name}` });
  try {
    await page.render(container, arg);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    container.appendChild(h('p', { class: 'error', role: 'alert' }, `${t('common.error')}: ${error.message}`));
  }
  if (token !== renderToken) return;  // a newer render started meanwhile
  replace(main, container);
  mountCharts();
  main.dataset.ready = name;
}

function showLogin() {
  const dialog = document.getElementById('login-dialog');
  document.getElementById('login-title').textContent = t('login.title');
  document.getElementById('login-user-label').textContent = t('login.user');
  document.getElementById('login-password-label').textContent = t('login.password');
  document.getElementById('login-submit').textContent = t('login.submit');
  if (!dialog.open) dialog.showModal();
  document.getElementById('login-username').focus();
}

async function loadSession() {
  try {
    state.me = await get('/api/me');
  } catch (error) {
    state.me = null;
    if (error instanceof ApiError && error.status === 401) {
      showLogin();
      renderNav();
      return false;
    }
    throw error;
  }
  [state.schema, state.features] = await Promise.all([get('/api/schema'), get('/api/features')]);
  return true;
}

async function start() {
  document.documentElement.lang = lang();
  for (const code of ['ko', 'en']) {
    document.getElementById(`lang-${code}`).addEventListener('click', () => setLang(code));
  }
  onLangChange(() => render());
  window.addEventListener('hashchange', () => render());
  onUnauthorized(() => {
    state.me = null;
    showLogin();
    renderNav();
  });
  document.getElementById('logout').addEventListener('click', async () => {
    if (state.me && state.me.authenticated) {
      await api('POST', '/api/logout').catch(() => null);
    }
    state.me = null;
    replace(document.getElementById('page'));
    showLogin();
    renderNav();
  });
  document.getElementById('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = document.getElementById('login-error');
    error.textContent = '';
    try {
      await api('POST', '/api/login', {
        username: document.getElementById('login-username').value,
        password: document.getElementById('login-password').value,
      });
      document.getElementById('login-password').value = '';
      document.getElementById('login-dialog').close();
      if (await loadSession()) render();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  if (await loadSession()) render();
}

start();
