import { escapeHtml } from '@sangam/http';
import type { Mou, MouClauses } from './model.js';

const list = (items: readonly string[]): string =>
  items.length === 0 ? '<p>None.</p>' : `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;

const day = (iso: string): string => escapeHtml(iso.slice(0, 10));

function kpiTable(mou: Mou): string {
  if (mou.kpis.length === 0) return '';
  const rows = mou.kpis
    .map(
      (k) =>
        `<tr><td>${escapeHtml(k.metric.replace(/-/g, ' '))}</td><td>${k.direction === 'at-least' ? 'at least' : 'at most'} ${k.target}</td><td>${escapeHtml(k.dataset ?? 'the whole MoU')}</td><td>${escapeHtml(k.reviewBy)}</td></tr>`,
    )
    .join('');
  return `<h3>Key performance indicators</h3><table><tr><th>Metric</th><th>Target</th><th>Of</th><th>Reviewed by</th></tr>${rows}</table>`;
}

const clauseTitles: Record<keyof MouClauses, string> = {
  roles: 'Roles and responsibilities',
  privacy: 'Privacy',
  intellectualProperty: 'Intellectual property',
  grievance: 'Grievance redressal',
};

function clauseSections(mou: Mou): string {
  return (Object.keys(clauseTitles) as (keyof MouClauses)[])
    .filter((k) => mou.clauses?.[k])
    .map((k) => `<h2>${clauseTitles[k]}</h2><p>${escapeHtml(mou.clauses?.[k] ?? '')}</p>`)
    .join('\n');
}

/** The MoU's terms as a page for the people who sign it: plain HTML, every value escaped, no scripts. */
export function mouSummaryHtml(mou: Mou): string {
  const parties = mou.parties
    .map(
      (p) =>
        `<tr><td>${escapeHtml(p.organisation)}</td><td>${p.role}</td><td>${p.signedAt ? `signed ${day(p.signedAt)}` : 'not signed yet'}</td></tr>`,
    )
    .join('');
  const datasets = mou.datasets
    .map(
      (d) =>
        `<tr><td>${escapeHtml(d.group)}</td><td>${escapeHtml(d.maxReleaseLevel)}</td><td>${d.personalData ? `yes, for: ${escapeHtml((d.personalDataPurposes ?? []).join('; '))}` : 'no'}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(mou.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25rem .5rem;text-align:left}</style>
</head><body>
<h1>${escapeHtml(mou.title)}</h1>
<p>Memorandum of understanding <code>${escapeHtml(mou.id)}</code>, version ${mou.version}, status <strong>${mou.status}</strong>.</p>
<h2>Parties</h2><table><tr><th>Organisation</th><th>Role</th><th>Signature</th></tr>${parties}</table>
<h2>The problem</h2><p>${escapeHtml(mou.problem.issue)}</p>
<h3>Who benefits</h3>${list(mou.problem.beneficiaries)}
<h3>How success is measured</h3>${list(mou.problem.kpis)}
${kpiTable(mou)}
<h2>Areas of collaboration</h2>${list(mou.areas.map((a) => a.replace(/-/g, ' ')))}
<h2>Purposes</h2>${list(mou.purposes)}
<h2>Datasets covered</h2><table><tr><th>Dataset</th><th>Highest release level</th><th>Personal data</th></tr>${datasets}</table>
<h2>Term</h2><p>In force from ${day(mou.effectiveFrom)} until ${day(mou.endsAt)}. Either party may terminate with ${mou.noticeDays} days' notice${mou.terminatesAt ? `; notice has been given and it ends on ${day(mou.terminatesAt)}` : ''}.</p>
<h2>Confidentiality</h2><p>${mou.confidentiality ? escapeHtml(mou.confidentiality) : 'No further terms.'}</p>
${clauseSections(mou)}
<p>SHA-256 of the signed document: <code>${escapeHtml(mou.documentSha256)}</code></p>
</body></html>
`;
}
