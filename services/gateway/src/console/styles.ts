/**
 * The console's one style sheet, served from /console.css (the CSP allows styles from the gateway only). Plain CSS,
 * readable without it: every page is a document first.
 */
export const consoleCss = `
:root{--ink:#1d2433;--muted:#4b5563;--line:#d0d5dd;--accent:#0b5cad;--accent-ink:#fff;--soft:#f2f4f7;--bad:#b42318}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,"Noto Sans","Noto Sans Devanagari",sans-serif;color:var(--ink);background:#fff}
a{color:var(--accent)}
a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f79009;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
header{border-bottom:1px solid var(--line);background:var(--soft)}
.bar{max-width:68rem;margin:0 auto;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between}
.brand{font-weight:700;text-decoration:none;color:var(--ink)}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
nav a[aria-current=page]{font-weight:700}
.who{display:flex;gap:.75rem;align-items:center;font-size:.9rem;color:var(--muted)}
main{max-width:68rem;margin:0 auto;padding:1rem}
footer{max-width:68rem;margin:2rem auto;padding:1rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
h1{font-size:1.7rem;margin:.5rem 0 1rem}
h2{font-size:1.3rem;margin:1.5rem 0 .5rem}
h3{font-size:1.05rem;margin:1rem 0 .25rem}
.card{border:1px solid var(--line);border-radius:6px;padding:1rem;margin:1rem 0}
.card h2{margin-top:0}
.meta{color:var(--muted);font-size:.95rem}
.tag{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:3px;padding:0 .4rem;margin:0 .25rem .25rem 0;font-size:.85rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
form.stack{display:grid;gap:.75rem;max-width:28rem}
form.inline{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end}
label{display:grid;gap:.2rem;font-weight:600}
fieldset{border:1px solid var(--line);border-radius:6px}
fieldset label{display:flex;gap:.4rem;font-weight:400}
input,select,textarea{font:inherit;padding:.4rem .5rem;border:1px solid #667085;border-radius:4px}
button{font:inherit;padding:.45rem 1rem;border:0;border-radius:4px;background:var(--accent);color:var(--accent-ink);cursor:pointer}
button.quiet{background:none;color:var(--accent);text-decoration:underline;padding:0}
.errors{border-left:4px solid var(--bad);padding:.5rem 1rem;background:#fef3f2}
.notice{border-left:4px solid var(--accent);padding:.5rem 1rem;background:var(--soft)}
.link{word-break:break-all;font-family:ui-monospace,monospace}
svg.coverage{width:100%;max-width:20rem;height:auto;border:1px solid var(--line);background:#f8fafc}
svg.coverage .area{fill:rgba(11,92,173,.18);stroke:#0b5cad;stroke-width:1.5;vector-effect:non-scaling-stroke}
svg.coverage .point{fill:#0b5cad}
.trap{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
form.wide{max-width:none}
form.wide textarea{font-family:ui-monospace,monospace;font-size:.9rem}
svg.chart{width:100%;max-width:40rem;height:auto;border:1px solid var(--line)}
svg.chart .bar{fill:#0b5cad}
svg.chart .tick{font-size:10px;fill:#4b5563}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}
svg.chart.kpi{max-width:30rem}
svg.chart .target{stroke:#b42318;stroke-width:1.5;stroke-dasharray:6 4}
svg.chart .value{fill:none;stroke:#0b5cad;stroke-width:2}
svg.chart .point{fill:#0b5cad}
svg.chart .axis{stroke:#667085;stroke-width:1}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:1rem}
figure{margin:0}
figcaption{font-weight:600;margin-bottom:.25rem}
td.miss{font-weight:700;color:var(--bad)}
.prose{white-space:pre-wrap}
fieldset.row{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end}
.steps li{margin:.25rem 0}
.steps .ok::before{content:"✓ ";color:#067647;font-weight:700}
.steps .fail::before{content:"✗ ";color:var(--bad);font-weight:700}
.verdict{font-weight:700;font-size:1.1rem}
.hash{font-family:ui-monospace,monospace;word-break:break-all;font-size:.85rem}
@media print{header,footer,.noprint,form,.skip{display:none}a{color:inherit;text-decoration:none}}
form.mou label:not(.check){display:grid;gap:.2rem;font-weight:600}
form.mou textarea,form.mou input[type=text]{width:100%;box-sizing:border-box;font-family:inherit}
form.mou fieldset{display:grid;gap:.6rem}
form.mou fieldset.row{display:flex}
form.mou select,form.mou input{font-weight:400}
`;
