// Opens a board pack (argv[2]) in headless Chromium at 1280x800 and as A4 print, and prints what a
// reader would meet: console errors, every network request, the page's text and its height; writes
// full-page screenshots next to argv[3]. Used by tests/test_board.py.
import { chromium } from "playwright-core";

const [file, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  const requests = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("request", (request) => { if (!request.url().startsWith("file:")) requests.push(request.url()); });
  await page.goto("file://" + file, { waitUntil: "load" });
  await page.screenshot({ path: shots + "-screen.png" });
  await page.screenshot({ path: shots + "-full.png", fullPage: true });
  const text = await page.evaluate(() => document.body.innerText);
  const firstScreen = await page.evaluate(() => {
    const seen = [];
    for (const node of document.querySelectorAll(".tile, .figures div, h1, .headline li")) {
      const box = node.getBoundingClientRect();
      if (box.bottom <= window.innerHeight) seen.push(node.innerText);
    }
    return seen;
  });
  const charts = await page.evaluate(() => document.querySelectorAll(".chart svg").length);
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width: 794, height: 1123 });  // A4 at 96 dpi
  await page.screenshot({ path: shots + "-a4.png" });
  console.log(JSON.stringify({ errors, requests, text, firstScreen, charts }));
} finally {
  await browser.close();
}
