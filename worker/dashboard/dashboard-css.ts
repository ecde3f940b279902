/** The dashboard's stylesheet, inlined in the page (no extra request, no build step). */
export const DASHBOARD_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1e293b;background:#f1f4f9}
header{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:baseline;justify-content:space-between;padding:14px 28px;background:#0f172a;color:#e2e8f0}
.brand{font-size:19px;font-weight:700;letter-spacing:.2px}.brand span{font-weight:400;color:#94a3b8}
.meta{font-size:13px;color:#94a3b8}.meta b{color:#f8fafc}.meta a{color:#93c5fd}
main{max-width:1240px;margin:0 auto;padding:18px 24px 8px}
.banner{border-radius:10px;padding:11px 16px;margin-bottom:16px;font-size:14px}
.banner.ok{background:#ecfdf5;border:1px solid #a7f3d0;color:#065f46}
.banner.quiet{background:#f8fafc;border:1px solid #e2e8f0;color:#475569}
.banner.alert{background:#fef2f2;border:1px solid #fca5a5;color:#991b1b}
.banner.alert strong{display:block;font-size:15px;margin-bottom:2px}.banner ul{margin:0;padding-left:20px}
.tiles{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin-bottom:16px}
.tile{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:12px 14px;min-width:0}
.tile.bad{border-color:#fca5a5;background:#fff7f7}.tile.bad .tile-value{color:#b91c1c}
.tile.warn{border-color:#fcd34d}
.tile-title{font-size:12px;text-transform:uppercase;letter-spacing:.5px;color:#64748b;font-weight:600}
.tile-value{font-size:28px;font-weight:700;font-variant-numeric:tabular-nums;margin:2px 0}
.tile-note{font-size:12px;color:#64748b}
.mixbar{display:flex;height:6px;border-radius:3px;overflow:hidden;background:#e2e8f0;margin:2px 0 4px}.mix{display:block;height:100%}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:14px 18px;min-width:0}
.card.wide{grid-column:1/-1}
h2{font-size:15px;margin:0 0 8px}h2 small{font-weight:400;color:#64748b;font-size:12.5px;margin-left:6px}
.chart{width:100%;height:auto;display:block}
.chart .grid{stroke:#e9edf3;stroke-width:1}.chart .axis{font-size:11px;fill:#64748b}
.chart .hover{fill:transparent}.chart g:hover .hover{fill:#f1f5f9}
.chart .limit{stroke:#dc2626;stroke-width:1.2;stroke-dasharray:5 4}.chart .limit-text{fill:#dc2626}
.chart .baseline{stroke:#0f172a;stroke-width:1.5;stroke-dasharray:4 3}
.chart .promoted{fill:#16a34a;stroke:#fff;stroke-width:2}.chart .rejected{fill:#fff;stroke:#94a3b8;stroke-width:2}
.chart .point-label{font-size:11.5px;font-weight:600;fill:#334155}
.legend{display:flex;flex-wrap:wrap;gap:14px;font-size:12px;color:#475569;margin:0 0 6px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.legend i.line{height:3px;width:16px;vertical-align:3px}.legend i.dashed{background:repeating-linear-gradient(90deg,#0f172a 0 4px,transparent 4px 7px)}
.legend i.dot{border-radius:50%}.promoted-dot{background:#16a34a}.rejected-dot{background:#fff;border:2px solid #94a3b8}
table{width:100%;border-collapse:collapse;font-size:13px;margin-top:6px}
th{font-weight:600;color:#64748b;font-size:12px;text-align:left;border-bottom:1px solid #e2e8f0;padding:5px 8px}
td{border-bottom:1px solid #f1f5f9;padding:5px 8px;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.reason{color:#475569;font-size:12.5px}.nowrap{white-space:nowrap}.caption{color:#64748b;font-size:12px;margin:6px 8px 0}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:0 0 8px}
.facts dt{color:#64748b}.facts dd{margin:0;overflow-wrap:break-word;min-width:0}.version{font-size:16px}
.model{display:grid;grid-template-columns:minmax(300px,400px) 1fr;gap:8px 28px;align-items:start}.holdout{overflow-x:auto}
.card.half{overflow-x:auto}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;white-space:nowrap}
.pill.ok{background:#dcfce7;color:#166534}.pill.no{background:#f1f5f9;color:#475569}
.up{color:#15803d}.down{color:#b91c1c}.muted{color:#64748b}.bad-text{color:#b91c1c}
footer{max-width:1240px;margin:0 auto;padding:8px 24px 24px;color:#64748b;font-size:12px}
@media (max-width:1000px){.tiles{grid-template-columns:repeat(3,1fr)}.grid,.model{grid-template-columns:1fr}}
@media (max-width:560px){.tiles{grid-template-columns:repeat(2,1fr)}}
`;
