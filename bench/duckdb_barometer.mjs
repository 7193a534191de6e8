// The DuckDB peer of bench/gdelt-vs-duckdb: read_csv over the 61 GDELT 2.0 columns and the same
// GROUP BY as citydip's country-pair barometer (per month, or day, of SQLDATE and directed pair,
// both codes non-empty), written as CSV with citydip's series columns plus root01..root20.
//   node bench/duckdb_barometer.mjs DATA THREADS OUT.csv [month|day]
//   DATA: a file, a glob ('dir/*.CSV') or /dev/stdin (e.g. unzip -p 'dir/*.zip' | node ...)
import { DuckDBInstance } from '@duckdb/node-api';

const COLUMNS = `GLOBALEVENTID SQLDATE MonthYear Year FractionDate
Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode
Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code
Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode
Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code
IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale
NumMentions NumSources NumArticles AvgTone
Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code
Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID
Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code
Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID
ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code
ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID
DATEADDED SOURCEURL`.split(/\s+/);
if (COLUMNS.length !== 61) throw new Error('column list');

const [data, threads = '2', out, period = 'month'] = process.argv.slice(2);
if (!data || !out || !['month', 'day'].includes(period)) {
  console.error('usage: node duckdb_barometer.mjs DATA THREADS OUT.csv [month|day]');
  process.exit(2);
}
const label = period === 'day'
  ? `printf('%04d-%02d-%02d', SQLDATE // 10000, (SQLDATE // 100) % 100, SQLDATE % 100)`
  : `printf('%04d-%02d', SQLDATE // 10000, (SQLDATE // 100) % 100)`;
const TYPES = { SQLDATE: 'INTEGER', IsRootEvent: 'INTEGER', EventRootCode: 'VARCHAR',
                QuadClass: 'INTEGER', GoldsteinScale: 'DOUBLE', NumMentions: 'BIGINT',
                NumSources: 'BIGINT', NumArticles: 'BIGINT', AvgTone: 'DOUBLE' };
const columns = '{' + COLUMNS.map(c => `'${c}': '${TYPES[c] ?? 'VARCHAR'}'`).join(', ') + '}';
const roots = Array.from({ length: 20 }, (_, i) => String(i + 1).padStart(2, '0'))
  .map(r => `count(*) FILTER (WHERE EventRootCode = '${r}') AS root${r}`).join(',\n    ');
const sql = `COPY (
  SELECT ${label} AS period,
    Actor1CountryCode AS actor1, Actor2CountryCode AS actor2,
    count(*) AS events,
    count(*) FILTER (WHERE IsRootEvent = 1) AS root_events,
    sum(GoldsteinScale) AS goldstein_sum,
    avg(GoldsteinScale) AS goldstein_mean,
    sum(GoldsteinScale * NumMentions) / sum(NumMentions) AS goldstein_mentions_weighted,
    avg(AvgTone) AS tone_mean,
    sum(NumMentions) AS mentions, sum(NumSources) AS sources, sum(NumArticles) AS articles,
    count(*) FILTER (WHERE QuadClass = 1) AS quad1, count(*) FILTER (WHERE QuadClass = 2) AS quad2,
    count(*) FILTER (WHERE QuadClass = 3) AS quad3, count(*) FILTER (WHERE QuadClass = 4) AS quad4,
    ${roots}
  FROM read_csv('${data}', delim='\\t', header=false, quote='', escape='', auto_detect=false,
                columns=${columns})
  WHERE Actor1CountryCode IS NOT NULL AND Actor2CountryCode IS NOT NULL
  GROUP BY ALL
) TO '${out}' (FORMAT csv, HEADER true)`;

const started = performance.now();
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
const result = await connection.runAndReadAll(sql);
const groups = result.getRows()[0]?.[0];
console.error(`duckdb threads=${threads} groups=${groups} ` +
              `sec=${((performance.now() - started) / 1000).toFixed(3)}`);
