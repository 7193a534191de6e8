// The dashboard's calls to the JSON API (same origin, session cookie). Errors come back as
// ApiError carrying the server's {"error": {"code", "message", "where", "fields"}}.

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || 'unknown';
    this.where = error.where || '';
    this.fields = error.fields || [];
  }
}

const unauthorizedListeners = [];

/** Called with the error whenever the server answers 401 (the login dialog listens). */
export function onUnauthorized(listener) {
  unauthorizedListeners.push(listener);
}

export async function api(method, path, body) {
  const options = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch (ignored) {
    data = null;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && !path.endsWith('/api/login')) {
      for (const listener of unauthorizedListeners) listener(error);
    }
    throw error;
  }
  return data;
}

export const get = (path) => api('GET', path);

/** Builds "/api/x?a=1&b=2" from an object, leaving out empty values. */
export function query(path, params = {}) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** Every record of a kind, following the pages. */
export async function getAll(kind, params = {}) {
  const items = [];
  for (let offset = 0; ; offset += 10000) {
    const page = await get(query(`/api/${kind}`, { ...params, limit: 10000, offset }));
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

/** An optional feature: its data, or {missing: message} when the server says it is not there. */
export async function optional(path) {
  try {
    return { data: await get(path) };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 501 || error.status === 404 || error.status === 409)) {
      return { missing: error.message };
    }
    throw error;
  }
}

/**
 * What the analyses can run on (GET /api/analyses): {data: {analyses, home_cities, indexes}} or
 * {missing: message} when this build has no analyses. Pages ask for an analysis only when its
 * inputs are there, so that a registry without them shows what is missing instead of a failed
 * request.
 */
export async function analysisInputs(features) {
  if (!features || !features.analyses) {
    return { missing: 'the analyses are not part of this build (app/analysis_service)' };
  }
  return optional('/api/analyses');
}

/** The home city of the analyses: the city that is home to the most events, as "Name,CTY". */
export function analysisHome(inputs) {
  const homes = (inputs && inputs.home_cities) || [];
  if (homes.length === 0) return null;
  return homes[0].country ? `${homes[0].name},${homes[0].country}` : homes[0].name;
}

/**
 * The strategy endpoints' data, or {missing} without asking when the server says it has no
 * strategy file (GET /api/features, inputs.strategy_plan).
 */
export async function strategyOptional(features, path) {
  const plan = features && features.inputs && features.inputs.strategy_plan;
  if (!features || !features.strategy) return { missing: 'the strategy scorecard is not part of this build' };
  if (plan && plan.found === false) return { missing: `no strategy file at ${plan.path}` };
  return optional(path);
}
