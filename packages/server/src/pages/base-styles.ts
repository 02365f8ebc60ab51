/**
 * The base stylesheet of every customer page (served at `/assets/base.css`): readable type,
 * visible focus, one layout that works from 320 px phones to desktops (CDS-WG3-01 §9.2: mobile
 * and desktop versions of the same page), and the colours checked for WCAG AA contrast.
 *
 * @module
 */
export const BASE_CSS = `
:root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#c9c9c9;--accent:#0b5394;--accent-ink:#fff;--bad:#a4000f;--ok:#1e6b2f;--bg:#fff;--panel:#f4f6f8;font-size:100%}
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:var(--ink);background:var(--bg)}
.skip-link{position:absolute;left:-999px;top:0;background:var(--accent);color:var(--accent-ink);padding:.5rem 1rem;z-index:10}
.skip-link:focus{left:0}
.page{max-width:44rem;margin:0 auto;padding:1rem}
@media (min-width:48rem){.page{padding:2rem}}
header.brand{display:flex;align-items:center;gap:.75rem;border-bottom:1px solid var(--line);padding-bottom:.75rem;margin-bottom:1rem}
header.brand .logo{display:inline-grid;place-items:center;width:2.5rem;height:2.5rem;border-radius:50%;background:var(--accent);color:var(--accent-ink);font-weight:700}
header.brand .name{font-weight:700}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 1rem}
h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible,label:focus-within{outline:3px solid #f9a825;outline-offset:2px}
p,ul,ol,dl{margin:.5rem 0}
.muted{color:var(--muted)}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:1rem 0}
.error{border-left:4px solid var(--bad);padding:.5rem 1rem;background:#fdecee}
.notice{border-left:4px solid var(--ok);padding:.5rem 1rem;background:#e9f5ec}
.field{display:grid;gap:.25rem;margin:.75rem 0}
.field input{font:inherit;padding:.6rem;border:1px solid #767676;border-radius:.25rem;width:100%}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
.button{font:inherit;font-weight:600;min-width:9rem;min-height:2.75rem;padding:.6rem 1.25rem;border-radius:.375rem;border:2px solid var(--accent);background:var(--accent);color:var(--accent-ink);cursor:pointer;text-align:center;text-decoration:none;display:inline-block}
.button.secondary{background:var(--bg);color:var(--accent)}
.linklike{font:inherit;background:none;border:none;padding:0;color:var(--accent);text-decoration:underline;cursor:pointer}
footer.page-footer{border-top:1px solid var(--line);margin-top:2rem;padding-top:1rem;font-size:.95rem;color:var(--muted)}
footer.page-footer ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media print{.no-print{display:none}}
`
