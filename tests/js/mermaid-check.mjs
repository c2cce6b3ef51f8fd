// Reads a JSON array of Mermaid gantt texts on stdin; for each, parses and renders it with the real
// Mermaid in headless Chromium and prints what Mermaid understood: title, date format, excludes and
// every task with its dates. Used by tests/test_mermaid.py.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const mermaidJs = readFileSync(require.resolve("mermaid/dist/mermaid.min.js"), "utf8");
const texts = JSON.parse(readFileSync(0, "utf8"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage();
  await page.setContent("<!doctype html><html><body><div id='out'></div></body></html>");
  await page.addScriptTag({ content: mermaidJs });
  const results = await page.evaluate(async (texts) => {
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
    const out = [];
    for (const text of texts) {
      try {
        await mermaid.parse(text);
        const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
        const db = diagram.db;
        const iso = (d) => { const x = new Date(d.getTime() - d.getTimezoneOffset() * 60000); return x.toISOString().slice(0, 10); };
        const tasks = db.getTasks().map((t) => ({ id: t.id, task: t.task, start: iso(t.startTime), end: iso(t.endTime),
                                                  milestone: !!t.milestone, section: t.section }));
        const { svg } = await mermaid.render("chart" + out.length, text);
        const holder = document.getElementById("out");
        holder.innerHTML = svg;
        const ticks = [...holder.querySelectorAll("g.tick text")].map((node) => node.textContent);
        const titleText = [...holder.querySelectorAll("text.titleText")].map((node) => node.textContent);
        out.push({ ok: true, title: db.getDiagramTitle(), dateFormat: db.getDateFormat(),
                   axisFormat: db.getAxisFormat(), excludes: db.getExcludes(), tasks, ticks, titleText });
      } catch (error) {
        out.push({ ok: false, error: String(error && error.message || error) });
      }
    }
    return out;
  }, texts);
  process.stdout.write(JSON.stringify(results));
} finally {
  await browser.close();
}
