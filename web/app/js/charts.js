// ECharts (window.echarts, from vendor/echarts.min.js, copied from npm into the build) with the
// dashboard's defaults: Korean-capable fonts, tooltips drawn on the canvas (richText: no HTML
// built from data), a resize handler, and disposal when the page changes.
import { h } from './dom.js';
import { t } from './i18n.js';

const FONT = '"Noto Sans CJK KR", "Noto Sans KR", "Noto Sans", sans-serif';
let pending = [];
let live = [];

/** A chart box; the chart is drawn once the page is on screen (mountCharts). */
export function chart(option, { height = 360, label = '' } = {}) {
  const box = h('div', { class: 'chart', style: `height:${height}px`, role: 'img', 'aria-label': label });
  if (!window.echarts) {
    box.classList.add('chart-missing');
    box.style.height = 'auto';
    box.appendChild(h('p', { class: 'missing' },
      `${t('common.missing')}: ECharts (vendor/echarts.min.js; run scripts/install-deps and rebuild)`));
    return box;
  }
  pending.push({ box, option });
  return box;
}

/** Draws the pending charts (called after the page is in the document). */
export function mountCharts() {
  for (const { box, option } of pending) {
    if (!box.isConnected) continue;
    const instance = window.echarts.init(box, null, { renderer: 'canvas' });
    instance.setOption({
      textStyle: { fontFamily: FONT },
      animation: false,
      ...option,
      tooltip: { renderMode: 'richText', ...(option.tooltip || {}) },
    });
    live.push(instance);
  }
  pending = [];
}

export function disposeCharts() {
  for (const instance of live) instance.dispose();
  live = [];
  pending = [];
}

window.addEventListener('resize', () => {
  for (const instance of live) instance.resize();
});

export const PALETTE = [
  '#2f6db5', '#d9534f', '#f0ad4e', '#5cb85c', '#8e6bbf', '#3fb0c9', '#c76f3a', '#7f8c8d',
  '#e377c2', '#17becf', '#bcbd22', '#1f3b73', '#9c2f2f', '#4d7c0f',
];
